#include "app/stores.h"

#include <sys/stat.h>

#include "protocol/imap/search_text.h"
#include "store/blob_fs/fs_blob_store.h"
#include "store/sqlite/sqlite_dav_store.h"
#include "store/sqlite/sqlite_directory.h"
#include "store/sqlite/sqlite_mail_store.h"
#include "store/sqlite/sqlite_queue_store.h"

namespace bulwark::app {

store::DirectoryPolicy directory_policy(const Config& config) {
  store::DirectoryPolicy policy;
  policy.hash_cost.memory_bytes = config.auth.hash_memory_bytes;
  policy.hash_cost.passes = config.auth.hash_passes;
  policy.recipient_delimiter = config.smtp.recipient_delimiter;
  return policy;
}

Result<Stores> open_stores(const Config& config, bool background_work) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return fail(Errc::internal, "cannot create data_dir " + config.data_dir.string() + ": " + ec.message());
  ::chmod(config.data_dir.c_str(), 0700);
  BULWARK_TRY_ASSIGN(auto directory, store::sqlite::SqliteDirectory::open(config.data_dir, directory_policy(config)));
  BULWARK_TRY_ASSIGN(auto blob_store, store::blob_fs::FsBlobStore::open(config.data_dir));
  std::shared_ptr<store::BlobStore> blobs(std::move(blob_store));
  BULWARK_TRY_ASSIGN(auto queue,
                     store::sqlite::SqliteQueueStore::open(config.data_dir, blobs, config.inline_message_bytes));
  Stores stores;
  stores.queue = std::move(queue);
  stores.directory = std::move(directory);
  store::sqlite::WalLimits wal;
  wal.checkpoint_pages = config.wal_checkpoint_pages;
  wal.max_pages = config.wal_max_pages;
  auto mail = std::make_unique<store::sqlite::SqliteMailStore>(config.data_dir, blobs, config.inline_message_bytes, wal);
  store::sqlite::SearchIndexOptions search;
  search.enabled = config.search.index;
  search.max_text_bytes = config.limits.max_search_text_bytes;
  search.batch_messages = config.search.index_batch_messages;
  search.text_of = [](std::string_view raw, std::size_t max_bytes) {
    return protocol::imap::index_text(raw, max_bytes);
  };
  mail->enable_search_index(std::move(search), background_work);
  auto* sqlite_mail = mail.get();
  stores.build_search_index = [sqlite_mail](store::AccountId account) {
    return sqlite_mail->build_search_index(account);
  };
  stores.mail = std::move(mail);
  stores.dav = std::make_unique<store::sqlite::SqliteDavStore>(config.data_dir);
  return stores;
}

}  // namespace bulwark::app

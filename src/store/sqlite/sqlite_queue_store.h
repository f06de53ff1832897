// QueueStore on SQLite: data_dir/queue.db, WAL with synchronous=FULL (see sqlite_db.h), so every write returns
// after it is on disk. One connection, serialised by a mutex. enqueue, enqueue_content and record go through a
// WriteGroup (write_group.h): writes that arrive while a commit is in progress share the next transaction, each in
// its own savepoint, and one WAL sync; nothing waits on a timer, a lone write commits at once.
// Message bytes up to `inline_max_bytes` given to enqueue_content() are kept in queue.db (table queue_content,
// deleted with the entry), so queueing a message costs that one shared sync instead of a blob file's data,
// rename and directory syncs; larger ones, and enqueue()'s, are read from the blob store.
#pragma once

#include <filesystem>
#include <cstdint>
#include <memory>
#include <mutex>

#include "store/blob_store.h"
#include "store/queue_store.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/write_group.h"

namespace bulwark::store::sqlite {

class SqliteQueueStore final : public QueueStore {
 public:
  static constexpr std::uint64_t kDefaultInlineMaxBytes = 256 << 10;  // as [storage] inline_message_size

  static Result<std::unique_ptr<SqliteQueueStore>> open(const std::filesystem::path& data_dir,
                                                        std::shared_ptr<BlobStore> blobs,
                                                        std::uint64_t inline_max_bytes = kDefaultInlineMaxBytes);

  Result<QueueId> enqueue(const BlobRef& blob, const QueueEnvelope& envelope) override;
  Result<QueueId> enqueue_content(std::string_view content, const QueueEnvelope& envelope) override;
  Result<std::vector<QueuedMessage>> list() override;
  Result<QueuedMessage> get(QueueId id) override;
  Result<std::vector<QueuedMessage>> due(std::int64_t now, std::size_t limit) override;
  Status record(QueueId id, const std::vector<RecipientUpdate>& updates) override;
  Result<std::size_t> retry(std::optional<QueueId> id, std::int64_t now) override;
  Status remove(QueueId id) override;
  Result<std::string> read_content(const QueuedMessage& message) override;

 private:
  SqliteQueueStore(Database db, std::shared_ptr<BlobStore> blobs, std::uint64_t inline_max_bytes)
      : db_(std::move(db)), blobs_(std::move(blobs)), inline_max_bytes_(inline_max_bytes) {}
  // One entry through the write group; `inline_content` (or nullptr) is stored in queue_content.
  Result<QueueId> insert_entry(std::string_view blob_id, std::uint64_t size, const QueueEnvelope& envelope,
                               const std::string_view* inline_content);
  // Callers hold mutex_.
  Result<std::vector<QueuedMessage>> select_messages(std::string_view where, std::int64_t arg, std::size_t limit);
  Status load_recipients(QueuedMessage& message);

  std::mutex mutex_;
  Database db_;
  std::shared_ptr<BlobStore> blobs_;
  std::uint64_t inline_max_bytes_;
  WriteGroup writes_;  // enqueue and record: concurrent writes share one commit
};

}  // namespace bulwark::store::sqlite

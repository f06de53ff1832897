// MailStore on SQLite: one database per account (data_dir/accounts/<id>/mail.db), so that writes to different
// accounts never wait on one lock or one file, plus the shared content-addressed BlobStore. The account id comes
// from a Principal, DeliveryTarget or checked MailboxRef, never from a request string.
//
// Deliveries (ADR 0003): concurrent deliveries to one account share one transaction and so one WAL sync (group
// commit), and a message for a single account of at most `inline_body_max` octets is kept in that account's
// database (table body, by SHA-256) instead of a blob file, so its 250 costs one sync instead of three or four.
// WAL checkpoints run on a background thread, not inside a delivery's commit (wal_checkpointer.h).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "store/blob_store.h"
#include "store/mail_store.h"
#include "store/sqlite/search_indexer.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/wal_checkpointer.h"

namespace bulwark::store::sqlite {

namespace group_commit {
struct PendingDelivery;
}

class SqliteMailStore final : public MailStore {
 public:
  static constexpr std::uint64_t kDefaultInlineBodyMax = 256 * 1024;
  static constexpr std::size_t kDefaultReadConnections = 4;

  // `read_connections`: read-only connections per account (read_pool.h), so at most that many reads of one
  // account run at once.
  SqliteMailStore(std::filesystem::path data_dir, std::shared_ptr<BlobStore> blobs,
                  std::uint64_t inline_body_max = kDefaultInlineBodyMax, WalLimits wal_limits = {},
                  std::size_t read_connections = kDefaultReadConnections);
  ~SqliteMailStore() override;

  Result<std::vector<MailboxInfo>> list_mailboxes(const Principal& who, AccountId owner) override;
  Result<MailboxInfo> find_mailbox(const Principal& who, AccountId owner, std::string_view name) override;
  Result<MailboxInfo> lookup_mailbox(const Principal& who, AccountId owner, std::string_view name) override;
  Result<MailboxInfo> create_mailbox(const Principal& who, AccountId owner, std::string_view name,
                                     SpecialUse role) override;
  Status delete_mailbox(const Principal& who, MailboxRef mailbox) override;
  Status rename_mailbox(const Principal& who, MailboxRef mailbox, std::string_view new_name) override;
  Status set_subscribed(const Principal& who, MailboxRef mailbox, bool subscribed) override;
  Status set_rights(const Principal& who, MailboxRef mailbox, AccountId grantee, Rights rights) override;

  Result<BlobRef> store_blob(std::string_view content) override;
  Result<Appended> append(const Principal& who, MailboxRef mailbox, const BlobRef& blob,
                          const NewMessage& message) override;
  Result<Appended> append_message(const Principal& who, MailboxRef mailbox, std::string_view content,
                                  const NewMessage& message) override;
  Result<Appended> deliver(const DeliveryTarget& target, const BlobRef& blob, const NewMessage& message) override;
  std::vector<Result<Appended>> deliver_message(std::span<const DeliveryTarget> targets, std::string_view content,
                                                const NewMessage& message) override;
  Result<std::vector<MessageRecord>> list_messages(const Principal& who, MailboxRef mailbox, std::uint32_t first_uid,
                                                   std::uint32_t last_uid) override;
  Result<std::string> read_message(const Principal& who, MailboxRef mailbox, std::uint32_t uid) override;
  Result<std::vector<std::optional<std::string>>> read_message_prefixes(
      const Principal& who, MailboxRef mailbox, std::span<const PrefixRequest> wanted) override;
  Result<std::vector<FlagChange>> update_flags(const Principal& who, MailboxRef mailbox,
                                               std::span<const std::uint32_t> uids, FlagOp op,
                                               const std::vector<std::string>& flags,
                                               std::optional<std::uint64_t> unchanged_since,
                                               std::vector<std::uint32_t>* failed) override;
  Result<std::vector<std::uint32_t>> expunge(const Principal& who, MailboxRef mailbox,
                                             std::optional<std::vector<std::uint32_t>> uids) override;
  Result<Copied> copy(const Principal& who, MailboxRef from, std::span<const std::uint32_t> uids,
                      MailboxRef to) override;
  Result<Copied> move(const Principal& who, MailboxRef from, std::span<const std::uint32_t> uids,
                      MailboxRef to) override;
  Result<Usage> usage(const Principal& who) override;
  Result<Usage> delivery_usage(const DeliveryTarget& target) override;
  Result<MailboxState> mailbox_state(const Principal& who, MailboxRef mailbox) override;
  Result<MailboxChanges> changes_since(const Principal& who, MailboxRef mailbox, std::uint64_t since) override;
  Result<Opened> open_mailbox(const Principal& who, AccountId owner, std::string_view name,
                              std::optional<KnownMailbox> known) override;
  Status provision(const Principal& who) override;
  Result<std::vector<std::uint32_t>> search_candidates(const Principal& who, MailboxRef mailbox,
                                                       std::string_view folded_text) override;

  // Turns the search index on (search_indexer.h); `background`: start the indexer thread (the server), or not
  // (the admin CLI, which calls build_search_index()). Call once, before the store is shared.
  void enable_search_index(SearchIndexOptions options, bool background);
  // Brings the account's search index up to date now (admin CLI `search-index`, tests).
  [[nodiscard]] Status build_search_index(AccountId account);

  struct AccountDb;  // one account's connection and its lock (sqlite_mail_store.cpp)

 private:
  // Opens the owner's database. Creates it only when `create` (the owner itself asking).
  Result<std::shared_ptr<AccountDb>> account_db(AccountId owner, bool create);
  // find_mailbox() (with_counts) and lookup_mailbox().
  Result<MailboxInfo> mailbox_by_name(const Principal& who, AccountId owner, std::string_view name, bool with_counts);
  // Queues `mine` for the account's next group commit and returns its result (ADR 0003).
  Result<Appended> deliver_grouped(AccountDb& adb, group_commit::PendingDelivery& mine);
  void note_new_mail(AccountId owner, std::string_view blob_id);  // tells the search indexer, if any
  Result<std::vector<std::string>> account_blob_ids(AccountId owner);
  Result<std::string> account_blob(AccountId owner, const std::string& blob_id);
  Result<Copied> copy_or_move(const Principal& who, MailboxRef from, std::span<const std::uint32_t> uids,
                              MailboxRef to, bool move);

  std::filesystem::path data_dir_;
  std::shared_ptr<BlobStore> blobs_;
  std::uint64_t inline_body_max_;
  WalCheckpointer checkpointer_;  // before pool_: outlives the connections whose WAL hooks point to it
  std::size_t read_connections_;
  std::mutex pool_mutex_;
  std::map<AccountId, std::shared_ptr<AccountDb>> pool_;
  // Last member: its thread is stopped before the connections it reads through go away.
  std::unique_ptr<SearchIndexer> search_indexer_;
};

}  // namespace bulwark::store::sqlite

// The directory (domains, accounts, aliases) in data_dir/directory.db. Shared by the server and the admin CLI
// (two processes): every read goes to the database, so the server sees an admin's change at once.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "store/directory_store.h"
#include "store/sqlite/sqlite_db.h"

namespace bulwark::store::sqlite {

class SqliteDirectory final : public DirectoryStore {
 public:
  static Result<std::unique_ptr<SqliteDirectory>> open(const std::filesystem::path& data_dir, DirectoryPolicy policy);

  // SQLite's PRAGMA data_version, read on a connection of its own: it changes with every commit made by any
  // other connection, so also with this store's own writes (they go through db_).
  std::optional<std::uint64_t> change_stamp() override;

 protected:
  Status insert_domain(const DomainRecord& record) override;
  Status delete_domain(const std::string& name) override;
  Result<std::vector<DomainRecord>> select_domains() override;
  Result<std::optional<DomainRecord>> find_domain(const std::string& name) override;
  Result<std::size_t> count_domain_users(const std::string& name) override;
  Result<AccountId> insert_account(const AccountRecord& record) override;
  Status update_password(AccountId id, const std::string& hash) override;
  Status delete_account(AccountId id) override;
  Result<std::vector<AccountRecord>> select_accounts(const std::optional<std::string>& domain) override;
  Result<std::optional<AccountRecord>> find_account(const std::string& local_key, const std::string& domain) override;
  Result<std::optional<AccountRecord>> find_account_by_id(AccountId id) override;
  Status insert_alias(const AliasRecord& record) override;
  Status delete_alias(const std::string& key) override;
  Result<std::vector<AliasRecord>> select_aliases() override;
  Result<std::optional<AliasRecord>> find_alias(const std::string& key) override;

 private:
  SqliteDirectory(Database db, std::unique_ptr<Database> stamp_db, DirectoryPolicy policy)
      : DirectoryStore(std::move(policy)), db_(std::move(db)), stamp_db_(std::move(stamp_db)) {}
  Result<std::vector<AccountRecord>> query_accounts(std::string_view where, const std::string& arg1,
                                                    const std::string& arg2);

  std::mutex mutex_;
  Database db_;
  std::mutex stamp_mutex_;  // only try_lock'ed: change_stamp() never waits
  std::unique_ptr<Database> stamp_db_;
};

}  // namespace bulwark::store::sqlite

// DavStore on SQLite: one database per account (data_dir/accounts/<id>/dav.db, beside mail.db), so calendar
// writes of different accounts never share a lock. The owner's first access creates the database with the
// default calendar and address book; another principal never creates anything.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "store/dav_store.h"

namespace bulwark::store::sqlite {

class SqliteDavStore final : public DavStore {
 public:
  explicit SqliteDavStore(std::filesystem::path data_dir);
  ~SqliteDavStore() override;

  Result<std::vector<CollectionInfo>> list_collections(const Principal& who, AccountId owner,
                                                       CollectionKind kind) override;
  Result<CollectionInfo> find_collection(const Principal& who, AccountId owner, CollectionKind kind,
                                         std::string_view name) override;
  Result<CollectionInfo> create_collection(const Principal& who, AccountId owner, CollectionKind kind,
                                           std::string_view name, const CollectionProps& props) override;
  Status update_collection(const Principal& who, CollectionRef ref, const CollectionProps& props) override;
  Status delete_collection(const Principal& who, CollectionRef ref) override;
  Status set_rights(const Principal& who, CollectionRef ref, AccountId grantee, DavRights rights) override;

  Result<std::vector<ResourceInfo>> list_resources(const Principal& who, CollectionRef ref,
                                                   bool with_content) override;
  Result<std::vector<ResourceInfo>> resources_overlapping(const Principal& who, CollectionRef ref,
                                                          std::string_view component, std::int64_t start,
                                                          std::int64_t end, bool with_content) override;
  Result<std::vector<ResourceInfo>> get_resources(const Principal& who, CollectionRef ref,
                                                  const std::vector<std::string>& names, bool with_content) override;
  Result<ResourceInfo> get_resource(const Principal& who, CollectionRef ref, std::string_view name) override;
  Result<SyncChanges> changes_since(const Principal& who, CollectionRef ref, std::uint64_t since) override;

  Result<PutResult> put_resource(const Principal& who, CollectionRef ref, const NewResource& resource,
                                 const WriteCondition& condition) override;
  Result<WriteOutcome> delete_resource(const Principal& who, CollectionRef ref, std::string_view name,
                                       const WriteCondition& condition) override;
  Result<PutResult> move_resource(const Principal& who, CollectionRef from, std::string_view name, CollectionRef to,
                                  std::string_view new_name, bool overwrite) override;
  Status provision(const Principal& who) override;
  Result<SchedulingOutcome> deliver_scheduling_message(const DeliveryTarget& target,
                                                       const SchedulingMessage& message) override;
  Result<BusyPeriods> free_busy(const Principal& who, AccountId owner, std::int64_t start, std::int64_t end,
                                const BusyReducer& reduce) override;

  struct AccountDb;  // one account's connection and its lock (sqlite_dav_store.cpp)

 private:
  // The owner's database; created (and provisioned) only when the owner itself asks.
  Result<std::shared_ptr<AccountDb>> account_db(const Principal& who, AccountId owner);
  // The same for the scheduling system: `may_create` only with a DeliveryTarget for `owner`.
  Result<std::shared_ptr<AccountDb>> open_account(AccountId owner, bool may_create);

  std::filesystem::path data_dir_;
  std::mutex pool_mutex_;
  std::map<AccountId, std::shared_ptr<AccountDb>> pool_;
};

}  // namespace bulwark::store::sqlite

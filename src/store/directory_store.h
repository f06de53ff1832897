// The directory: domains, accounts, aliases, and the rules that resolve an address to accounts.
//
// The rules (address normalisation, IDN A-labels, per-domain local-part case policy, plus-addressing, catch-all,
// alias expansion, password hashing and verification) are written once here; a backend implements only the
// primitive record operations below (store/sqlite today, PostgreSQL later), with no SQL outside the backend.
//
// This is also the only place that issues Principals and DeliveryTargets (domain/auth/principal.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/auth/password.h"
#include "domain/auth/principal.h"
#include "domain/mail/address.h"

namespace bulwark::store {

using domain::auth::AccountId;
using domain::auth::DeliveryTarget;
using domain::auth::Principal;

struct DomainRecord {
  std::string name;  // A-label, lower case
  bool case_sensitive_local_part = false;
};

struct AccountRecord {
  AccountId id = 0;
  std::string local_part;  // as written at creation
  std::string local_key;   // the lookup key: lower-cased unless the domain is case-sensitive
  std::string domain;
  std::string display_name;
  std::string password_hash;
  std::uint64_t quota_bytes = 0;  // 0: no quota
  std::string address() const { return local_part + "@" + domain; }
};

struct AliasRecord {
  std::string key;  // "local_key@domain", or "@domain" for a catch-all
  std::vector<std::string> targets;
};

struct NewAccount {
  std::string address;
  std::string password;  // may be empty: the account cannot log in until a password is set
  std::string display_name;
  std::uint64_t quota_bytes = 0;
};

// Where an address leads: local accounts (each a DeliveryTarget) and remote addresses.
struct Resolution {
  std::vector<DeliveryTarget> local;
  std::vector<std::string> remote;
};

struct DirectoryPolicy {
  domain::auth::HashCost hash_cost;
  std::string recipient_delimiter = "+";  // plus-addressing; empty turns it off
  unsigned max_alias_depth = 8;
};

class DirectoryStore {
 public:
  explicit DirectoryStore(DirectoryPolicy policy) : policy_(std::move(policy)) {}
  virtual ~DirectoryStore() = default;
  DirectoryStore(const DirectoryStore&) = delete;
  DirectoryStore& operator=(const DirectoryStore&) = delete;

  // --- administration (the CLI) ---
  [[nodiscard]] Status add_domain(std::string_view name, bool case_sensitive_local_part = false);
  // Refuses while accounts or aliases of the domain exist.
  [[nodiscard]] Status remove_domain(std::string_view name);
  [[nodiscard]] Result<std::vector<DomainRecord>> list_domains();
  // Creates the account; returns its principal so the caller can provision its mailboxes.
  [[nodiscard]] Result<Principal> create_account(const NewAccount& account);
  [[nodiscard]] Status set_password(std::string_view address, std::string_view password);
  // Returns the removed account's id so its data can be moved aside.
  [[nodiscard]] Result<AccountId> remove_account(std::string_view address);
  // Every account, or those of one domain.
  [[nodiscard]] Result<std::vector<AccountRecord>> list_accounts(std::optional<std::string_view> domain);
  // ALIAS is "local@domain" or "@domain" (catch-all); TARGETs are addresses, local or remote.
  [[nodiscard]] Status add_alias(std::string_view alias, const std::vector<std::string>& targets);
  [[nodiscard]] Status remove_alias(std::string_view alias);
  [[nodiscard]] Result<std::vector<AliasRecord>> list_aliases();

  // --- protocols ---
  // Verifies a login (an address) and password. Slow on purpose (argon2id): call from the blocking pool.
  // Unknown account and wrong password both return permission_denied and take the same time.
  [[nodiscard]] Result<Principal> authenticate(std::string_view login, std::string_view password);
  [[nodiscard]] Result<bool> is_local_domain(std::string_view domain);
  // Resolves a recipient address: exact account, exact alias, plus-address base, catch-all, in that order
  // (RFC 5321 2.4 / 3.6). not_found when a local domain has no such recipient; the address is returned in
  // `remote` when its domain is not local.
  [[nodiscard]] Result<Resolution> resolve(std::string_view address);
  // The addresses the principal may use as sender: its own address and every alias that leads to it.
  [[nodiscard]] Result<std::vector<std::string>> sender_addresses(const Principal& who);
  [[nodiscard]] Result<AccountRecord> account(const Principal& who);
  // Looks up an account by id for a principal who is that account; used to re-check after admin changes.
  [[nodiscard]] Result<bool> account_exists(const Principal& who);

  // A number that changes whenever domains, accounts or aliases change, in this process or another (the admin
  // CLI). nullopt when it cannot be read at once (the backend has none, or is busy): callers then treat every
  // cached answer as stale. Never waits for another thread or for I/O, so an I/O thread may call it to decide
  // whether a cached answer still holds (protocol/smtp/recipient_cache.h).
  [[nodiscard]] virtual std::optional<std::uint64_t> change_stamp() { return std::nullopt; }

  const DirectoryPolicy& policy() const { return policy_; }

 protected:
  // Only the directory and its backends mint identities.
  static Principal issue_principal(const AccountRecord& account) {
    return Principal(domain::auth::IssuerKey(), account.id, account.address(), account.quota_bytes);
  }
  static DeliveryTarget issue_delivery(const AccountRecord& account) {
    return DeliveryTarget(domain::auth::IssuerKey(), account.id, account.address(), account.quota_bytes);
  }

  // --- backend primitives: plain record storage, no rules ---
  virtual Status insert_domain(const DomainRecord& record) = 0;
  virtual Status delete_domain(const std::string& name) = 0;  // not_found if absent
  virtual Result<std::vector<DomainRecord>> select_domains() = 0;
  virtual Result<std::optional<DomainRecord>> find_domain(const std::string& name) = 0;
  virtual Result<std::size_t> count_domain_users(const std::string& name) = 0;  // accounts + aliases
  virtual Result<AccountId> insert_account(const AccountRecord& record) = 0;  // already_exists on duplicate
  virtual Status update_password(AccountId id, const std::string& hash) = 0;
  virtual Status delete_account(AccountId id) = 0;
  virtual Result<std::vector<AccountRecord>> select_accounts(const std::optional<std::string>& domain) = 0;
  virtual Result<std::optional<AccountRecord>> find_account(const std::string& local_key,
                                                            const std::string& domain) = 0;
  virtual Result<std::optional<AccountRecord>> find_account_by_id(AccountId id) = 0;
  virtual Status insert_alias(const AliasRecord& record) = 0;  // already_exists on duplicate
  virtual Status delete_alias(const std::string& key) = 0;
  virtual Result<std::vector<AliasRecord>> select_aliases() = 0;
  virtual Result<std::optional<AliasRecord>> find_alias(const std::string& key) = 0;

 private:
  struct Key {
    std::string local_key;
    std::string domain;
    std::string local_part;
  };
  Result<Key> key_for(std::string_view address);
  Status resolve_into(const std::string& address, unsigned depth, Resolution& out, std::vector<std::string>& seen);

  DirectoryPolicy policy_;
};

}  // namespace bulwark::store

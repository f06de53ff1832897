#include "store/directory_store.h"

#include <algorithm>

namespace bulwark::store {

using domain::mail::ascii_lower;
using domain::mail::normalize_domain;
using domain::mail::parse_address;

Result<DirectoryStore::Key> DirectoryStore::key_for(std::string_view address) {
  auto parsed = parse_address(address);
  if (!parsed) return fail(Errc::invalid_argument, "invalid address '" + std::string(address) + "': " + parsed.error().detail);
  auto domain = find_domain(parsed->domain);
  if (!domain) return tl::unexpected(domain.error());
  if (!*domain) return fail(Errc::not_found, "domain '" + parsed->domain + "' is not a local domain");
  std::string key = (*domain)->case_sensitive_local_part ? parsed->local_part : ascii_lower(parsed->local_part);
  return Key{std::move(key), parsed->domain, parsed->local_part};
}

Status DirectoryStore::add_domain(std::string_view name, bool case_sensitive_local_part) {
  auto normalized = normalize_domain(name);
  if (!normalized) return fail(Errc::invalid_argument, "invalid domain '" + std::string(name) + "': " + normalized.error().detail);
  return insert_domain(DomainRecord{*normalized, case_sensitive_local_part});
}

Status DirectoryStore::remove_domain(std::string_view name) {
  auto normalized = normalize_domain(name);
  if (!normalized) return fail(Errc::invalid_argument, "invalid domain '" + std::string(name) + "': " + normalized.error().detail);
  auto users = count_domain_users(*normalized);
  if (!users) return tl::unexpected(users.error());
  if (*users > 0) {
    return fail(Errc::invalid_argument, "domain '" + *normalized + "' still has " + std::to_string(*users) +
                                            " accounts or aliases; remove them first");
  }
  return delete_domain(*normalized);
}

Result<std::vector<DomainRecord>> DirectoryStore::list_domains() { return select_domains(); }

Result<Principal> DirectoryStore::create_account(const NewAccount& account) {
  auto key = key_for(account.address);
  if (!key) return tl::unexpected(key.error());
  if (!policy_.recipient_delimiter.empty() && key->local_part.find(policy_.recipient_delimiter) != std::string::npos) {
    return fail(Errc::invalid_argument, "the local part may not contain the recipient delimiter '" +
                                            policy_.recipient_delimiter + "'");
  }
  auto alias = find_alias(key->local_key + "@" + key->domain);
  if (!alias) return tl::unexpected(alias.error());
  if (*alias) return fail(Errc::already_exists, "an alias '" + (*alias)->key + "' already exists");
  AccountRecord record;
  record.local_part = key->local_part;
  record.local_key = key->local_key;
  record.domain = key->domain;
  record.display_name = account.display_name;
  record.quota_bytes = account.quota_bytes;
  if (!account.password.empty()) {
    auto hash = domain::auth::hash_password(account.password, policy_.hash_cost);
    if (!hash) return tl::unexpected(hash.error());
    record.password_hash = *hash;
  }
  auto id = insert_account(record);
  if (!id) return tl::unexpected(id.error());
  record.id = *id;
  return issue_principal(record);
}

Status DirectoryStore::set_password(std::string_view address, std::string_view password) {
  auto key = key_for(address);
  if (!key) return tl::unexpected(key.error());
  auto found = find_account(key->local_key, key->domain);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return fail(Errc::not_found, "no account '" + std::string(address) + "'");
  auto hash = domain::auth::hash_password(password, policy_.hash_cost);
  if (!hash) return tl::unexpected(hash.error());
  return update_password((*found)->id, *hash);
}

Result<AccountId> DirectoryStore::remove_account(std::string_view address) {
  auto key = key_for(address);
  if (!key) return tl::unexpected(key.error());
  auto found = find_account(key->local_key, key->domain);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return fail(Errc::not_found, "no account '" + std::string(address) + "'");
  if (auto status = delete_account((*found)->id); !status) return tl::unexpected(status.error());
  return (*found)->id;
}

Result<std::vector<AccountRecord>> DirectoryStore::list_accounts(std::optional<std::string_view> domain) {
  if (!domain) return select_accounts(std::nullopt);
  auto normalized = normalize_domain(*domain);
  if (!normalized) return fail(Errc::invalid_argument, "invalid domain: " + normalized.error().detail);
  return select_accounts(*normalized);
}

Status DirectoryStore::add_alias(std::string_view alias, const std::vector<std::string>& targets) {
  if (targets.empty()) return fail(Errc::invalid_argument, "an alias needs at least one target");
  std::string key;
  if (alias.starts_with("@")) {
    auto normalized = normalize_domain(alias.substr(1));
    if (!normalized) return fail(Errc::invalid_argument, "invalid catch-all domain: " + normalized.error().detail);
    auto domain = find_domain(*normalized);
    if (!domain) return tl::unexpected(domain.error());
    if (!*domain) return fail(Errc::not_found, "domain '" + *normalized + "' is not a local domain");
    key = "@" + *normalized;
  } else {
    auto k = key_for(alias);
    if (!k) return tl::unexpected(k.error());
    auto account = find_account(k->local_key, k->domain);
    if (!account) return tl::unexpected(account.error());
    if (*account) return fail(Errc::already_exists, "an account '" + (*account)->address() + "' already exists");
    key = k->local_key + "@" + k->domain;
  }
  std::vector<std::string> normalized_targets;
  for (const auto& target : targets) {
    auto parsed = parse_address(target);
    if (!parsed) return fail(Errc::invalid_argument, "invalid target '" + target + "': " + parsed.error().detail);
    normalized_targets.push_back(parsed->to_string());
  }
  return insert_alias(AliasRecord{key, normalized_targets});
}

Status DirectoryStore::remove_alias(std::string_view alias) {
  std::string key;
  if (alias.starts_with("@")) {
    auto normalized = normalize_domain(alias.substr(1));
    if (!normalized) return fail(Errc::invalid_argument, "invalid catch-all domain: " + normalized.error().detail);
    key = "@" + *normalized;
  } else {
    auto k = key_for(alias);
    if (!k) return tl::unexpected(k.error());
    key = k->local_key + "@" + k->domain;
  }
  return delete_alias(key);
}

Result<std::vector<AliasRecord>> DirectoryStore::list_aliases() { return select_aliases(); }

Result<Principal> DirectoryStore::authenticate(std::string_view login, std::string_view password) {
  auto refuse = [&] { return fail(Errc::permission_denied, "authentication failed"); };
  auto key = key_for(login);
  std::optional<AccountRecord> account;
  if (key) {
    auto found = find_account(key->local_key, key->domain);
    if (!found) return tl::unexpected(found.error());
    account = std::move(*found);
  } else if (key.error().code == Errc::internal || key.error().code == Errc::temporary_failure) {
    return tl::unexpected(key.error());
  }
  if (!account || account->password_hash.empty()) {
    domain::auth::verify_dummy(password, policy_.hash_cost);
    return refuse();
  }
  if (!domain::auth::verify_password(account->password_hash, password)) return refuse();
  return issue_principal(*account);
}

Result<bool> DirectoryStore::is_local_domain(std::string_view domain) {
  auto normalized = normalize_domain(domain);
  if (!normalized) return false;
  auto found = find_domain(*normalized);
  if (!found) return tl::unexpected(found.error());
  return found->has_value();
}

Status DirectoryStore::resolve_into(const std::string& address, unsigned depth, Resolution& out,
                                    std::vector<std::string>& seen) {
  if (depth > policy_.max_alias_depth) return fail(Errc::invalid_argument, "alias nesting too deep");
  auto parsed = parse_address(address);
  if (!parsed) return fail(Errc::invalid_argument, parsed.error().detail);
  auto domain = find_domain(parsed->domain);
  if (!domain) return tl::unexpected(domain.error());
  if (!*domain) {
    std::string remote = parsed->to_string();
    if (std::find(out.remote.begin(), out.remote.end(), remote) == out.remote.end()) out.remote.push_back(remote);
    return ok();
  }
  std::string local_key = (*domain)->case_sensitive_local_part ? parsed->local_part : ascii_lower(parsed->local_part);
  std::string key = local_key + "@" + parsed->domain;
  if (std::find(seen.begin(), seen.end(), key) != seen.end()) return ok();  // alias loop: already expanded
  seen.push_back(key);

  auto add_account = [&](const AccountRecord& account) {
    for (const auto& target : out.local) {
      if (target.account_id() == account.id) return;  // stored once per account
    }
    out.local.push_back(issue_delivery(account));
  };
  auto expand = [&](const AliasRecord& alias) -> Status {
    for (const auto& target : alias.targets) {
      if (auto status = resolve_into(target, depth + 1, out, seen); !status) return status;
    }
    return ok();
  };

  // 1. exact account, 2. exact alias
  auto account = find_account(local_key, parsed->domain);
  if (!account) return tl::unexpected(account.error());
  if (*account) { add_account(**account); return ok(); }
  auto alias = find_alias(key);
  if (!alias) return tl::unexpected(alias.error());
  if (*alias) return expand(**alias);
  // 3. plus-addressing: alice+tag -> alice
  const auto& delimiter = policy_.recipient_delimiter;
  if (!delimiter.empty()) {
    auto pos = local_key.find(delimiter);
    if (pos != std::string::npos && pos > 0) {
      std::string base = parsed->local_part.substr(0, pos) + "@" + parsed->domain;
      return resolve_into(base, depth + 1, out, seen);
    }
  }
  // 4. catch-all
  auto catch_all = find_alias("@" + parsed->domain);
  if (!catch_all) return tl::unexpected(catch_all.error());
  if (*catch_all) return expand(**catch_all);
  return fail(Errc::not_found, "no such user here");
}

Result<Resolution> DirectoryStore::resolve(std::string_view address) {
  Resolution out;
  std::vector<std::string> seen;
  if (auto status = resolve_into(std::string(address), 0, out, seen); !status) return tl::unexpected(status.error());
  return out;
}

Result<std::vector<std::string>> DirectoryStore::sender_addresses(const Principal& who) {
  std::vector<std::string> out{who.address()};
  auto aliases = select_aliases();
  if (!aliases) return tl::unexpected(aliases.error());
  for (const auto& alias : *aliases) {
    if (alias.key.starts_with("@")) continue;  // a catch-all is not an address to send as
    auto resolved = resolve(alias.key);
    if (!resolved) continue;
    for (const auto& target : resolved->local) {
      if (target.account_id() == who.account_id()) {
        out.push_back(alias.key);
        break;
      }
    }
  }
  return out;
}

Result<AccountRecord> DirectoryStore::account(const Principal& who) {
  auto found = find_account_by_id(who.account_id());
  if (!found) return tl::unexpected(found.error());
  if (!*found) return fail(Errc::not_found, "the account no longer exists");
  return **found;
}

Result<bool> DirectoryStore::account_exists(const Principal& who) {
  auto found = find_account_by_id(who.account_id());
  if (!found) return tl::unexpected(found.error());
  return found->has_value();
}

}  // namespace bulwark::store

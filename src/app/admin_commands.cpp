#include "app/admin_commands.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "app/admin_dkim.h"
#include "app/admin_queue.h"
#include "app/sandbox.h"
#include "app/stores.h"
#include "base/units.h"
#include "domain/mail/address.h"

namespace bulwark::app {
namespace {

int error(const std::string& message) {
  std::fprintf(stderr, "bulwark: error: %s\n", message.c_str());
  return 1;
}

Result<std::string> read_password_stdin() {
  std::string line;
  if (!std::getline(std::cin, line)) return fail(Errc::invalid_argument, "no password on stdin");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return fail(Errc::invalid_argument, "empty password on stdin");
  return line;
}

int domain_command(store::DirectoryStore& directory, const AdminRequest& r) {
  if (r.action == "add") {
    if (auto s = directory.add_domain(r.name, r.case_sensitive); !s) return error(s.error().detail);
    std::printf("domain %s added\n", r.name.c_str());
    return 0;
  }
  if (r.action == "remove") {
    if (auto s = directory.remove_domain(r.name); !s) return error(s.error().detail);
    std::printf("domain %s removed\n", r.name.c_str());
    return 0;
  }
  auto domains = directory.list_domains();
  if (!domains) return error(domains.error().detail);
  for (const auto& d : *domains) {
    std::printf("%s%s\n", d.name.c_str(), d.case_sensitive_local_part ? "\t(case-sensitive local parts)" : "");
  }
  return 0;
}

int user_command(const Config& config, Stores& stores, const AdminRequest& r) {
  auto& directory = *stores.directory;
  if (r.action == "add") {
    store::NewAccount account;
    account.address = r.name;
    account.display_name = r.display_name;
    if (!r.quota.empty()) {
      auto quota = parse_size(r.quota);
      if (!quota) return error("--quota: " + quota.error().detail);
      account.quota_bytes = *quota;
    }
    if (auto parsed = domain::mail::parse_address(r.name); !parsed) {
      return error("invalid address '" + r.name + "': " + parsed.error().detail);
    }
    if (r.password_stdin) {
      auto password = read_password_stdin();
      if (!password) return error(password.error().detail);
      account.password = *password;
    }
    auto principal = directory.create_account(account);
    if (!principal) return error(principal.error().detail);
    if (auto s = stores.mail->provision(*principal); !s) {
      (void)directory.remove_account(principal->address());
      return error("could not create the mailboxes: " + s.error().detail);
    }
    // Every new account gets a default calendar and address book (also created on first DAV access).
    if (stores.dav) {
      if (auto s = stores.dav->provision(*principal); !s) {
        return error("could not create the default calendar and address book: " + s.error().detail);
      }
    }
    std::printf("user %s added%s\n", principal->address().c_str(),
                account.password.empty() ? " (no password yet: set one with `bulwark user passwd`)" : "");
    return 0;
  }
  if (r.action == "passwd") {
    auto password = read_password_stdin();
    if (!password) return error(password.error().detail);
    if (auto s = directory.set_password(r.name, *password); !s) return error(s.error().detail);
    std::printf("password of %s changed\n", r.name.c_str());
    return 0;
  }
  if (r.action == "remove") {
    auto id = directory.remove_account(r.name);
    if (!id) return error(id.error().detail);
    // The mail is moved aside, not destroyed: an admin can still recover it from data_dir/removed.
    auto from = config.data_dir / "accounts" / std::to_string(*id);
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    auto to = config.data_dir / "removed" / fmt::format("{}-{}", *id, seconds.count());
    std::error_code ec;
    if (std::filesystem::exists(from, ec)) {
      std::filesystem::create_directories(to.parent_path(), ec);
      std::filesystem::rename(from, to, ec);
    }
    std::printf("user %s removed%s\n", r.name.c_str(),
                ec ? "" : fmt::format(" (mail kept in {})", to.string()).c_str());
    return 0;
  }
  std::optional<std::string_view> domain;
  if (!r.name.empty()) domain = r.name;
  auto accounts = directory.list_accounts(domain);
  if (!accounts) return error(accounts.error().detail);
  for (const auto& a : *accounts) {
    std::string quota = a.quota_bytes ? fmt::format("{}", a.quota_bytes) : "unlimited";
    std::printf("%s\t%s\tquota=%s\n", a.address().c_str(), a.display_name.c_str(), quota.c_str());
  }
  return 0;
}

int alias_command(store::DirectoryStore& directory, const AdminRequest& r) {
  if (r.action == "add") {
    if (auto s = directory.add_alias(r.name, r.targets); !s) return error(s.error().detail);
    std::printf("alias %s added\n", r.name.c_str());
    return 0;
  }
  if (r.action == "remove") {
    if (auto s = directory.remove_alias(r.name); !s) return error(s.error().detail);
    std::printf("alias %s removed\n", r.name.c_str());
    return 0;
  }
  auto aliases = directory.list_aliases();
  if (!aliases) return error(aliases.error().detail);
  for (const auto& a : *aliases) {
    std::string targets;
    for (const auto& t : a.targets) targets += (targets.empty() ? "" : ", ") + t;
    std::printf("%s -> %s\n", a.key.c_str(), targets.c_str());
  }
  return 0;
}

// `search-index build`: every account's IMAP search index brought up to date now, as `doveadm index` does for
// Dovecot's FTS; the server would otherwise fill it in the background after new mail or a SEARCH.
int search_index_command(const Config& config, Stores& stores) {
  std::error_code ec;
  const auto accounts = config.data_dir / "accounts";
  std::size_t built = 0;
  const auto started = std::chrono::steady_clock::now();
  for (const auto& entry : std::filesystem::directory_iterator(accounts, ec)) {
    const auto name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (!std::filesystem::exists(entry.path() / "mail.db")) continue;
    if (auto s = stores.build_search_index(std::stoll(name)); !s) return error(s.error().detail);
    ++built;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  std::printf("search index: %zu account(s) up to date in %lld ms\n", built, static_cast<long long>(ms.count()));
  return 0;
}

}  // namespace

int run_admin_command(const Config& config, const AdminRequest& request) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return error("cannot create data_dir " + config.data_dir.string() + ": " + ec.message());
  // As root, act as the service user so that the files made here stay writable by the server.
  SandboxReport report;
  if (::geteuid() == 0 && !config.run_as_user.empty()) {
    if (auto s = drop_privileges(config.run_as_user, config.data_dir, report); !s) return error(s.error().detail);
  }
  if (request.object == "dkim") return dkim_command(config, request);
  auto stores = open_stores(config, false);
  if (!stores) return error(stores.error().detail);
  if (request.object == "domain") return domain_command(*stores->directory, request);
  if (request.object == "user") return user_command(config, *stores, request);
  if (request.object == "queue") return queue_command(*stores->queue, request);
  if (request.object == "search-index") return search_index_command(config, *stores);
  return alias_command(*stores->directory, request);
}

}  // namespace bulwark::app

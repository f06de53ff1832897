#include "store/sqlite/sqlite_directory.h"

#include <sstream>

namespace bulwark::store::sqlite {
namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS domain(
  name TEXT PRIMARY KEY,
  case_sensitive INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS account(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  local_part TEXT NOT NULL,
  local_key TEXT NOT NULL,
  domain TEXT NOT NULL REFERENCES domain(name),
  display_name TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL DEFAULT '',
  quota_bytes INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL DEFAULT (unixepoch()),
  UNIQUE(local_key, domain));
CREATE TABLE IF NOT EXISTS alias(
  key TEXT PRIMARY KEY,
  domain TEXT NOT NULL REFERENCES domain(name),
  targets TEXT NOT NULL);
)sql";

// Targets are stored newline-separated: an address can contain neither CR nor LF.
std::string join_targets(const std::vector<std::string>& targets) {
  std::string out;
  for (const auto& t : targets) {
    if (!out.empty()) out += '\n';
    out += t;
  }
  return out;
}

std::vector<std::string> split_targets(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::string domain_of_key(const std::string& key) { return key.substr(key.rfind('@') + 1); }

}  // namespace

Result<std::unique_ptr<SqliteDirectory>> SqliteDirectory::open(const std::filesystem::path& data_dir,
                                                                DirectoryPolicy policy) {
  auto db = Database::open(data_dir / "directory.db");
  if (!db) return tl::unexpected(db.error());
  if (auto status = db->exec(kSchema); !status) return tl::unexpected(status.error());
  auto stamp_db = Database::open_reader(data_dir / "directory.db");
  if (!stamp_db) return tl::unexpected(stamp_db.error());
  // BUSY at once instead of SQLite's sleep-and-retry: the caller may be an I/O thread, and a miss costs little.
  sqlite3_busy_timeout(stamp_db->handle(), 0);
  return std::unique_ptr<SqliteDirectory>(new SqliteDirectory(
      std::move(*db), std::make_unique<Database>(std::move(*stamp_db)), std::move(policy)));
}

std::optional<std::uint64_t> SqliteDirectory::change_stamp() {
  std::unique_lock lock(stamp_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return std::nullopt;
  auto stmt = stamp_db_->prepare("PRAGMA data_version");
  if (!stmt) return std::nullopt;
  auto row = stmt->step();
  if (!row || !*row) return std::nullopt;
  return static_cast<std::uint64_t>(stmt->column_int(0));
}

Status SqliteDirectory::insert_domain(const DomainRecord& record) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare("INSERT INTO domain(name, case_sensitive) VALUES(?, ?)");
  if (!stmt) return tl::unexpected(stmt.error());
  auto status = stmt->bind(1, record.name).bind(2, record.case_sensitive_local_part ? 1 : 0).run();
  if (!status && status.error().code == Errc::already_exists) {
    return fail(Errc::already_exists, "domain '" + record.name + "' already exists");
  }
  return status;
}

Status SqliteDirectory::delete_domain(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare("DELETE FROM domain WHERE name = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  if (auto status = stmt->bind(1, name).run(); !status) return status;
  if (db_.changes() == 0) return fail(Errc::not_found, "no domain '" + name + "'");
  return ok();
}

Result<std::vector<DomainRecord>> SqliteDirectory::select_domains() {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare("SELECT name, case_sensitive FROM domain ORDER BY name");
  if (!stmt) return tl::unexpected(stmt.error());
  std::vector<DomainRecord> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    out.push_back(DomainRecord{stmt->column_text(0), stmt->column_int(1) != 0});
  }
  return out;
}

Result<std::optional<DomainRecord>> SqliteDirectory::find_domain(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare("SELECT name, case_sensitive FROM domain WHERE name = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->bind(1, name).step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<DomainRecord>();
  return std::optional<DomainRecord>(DomainRecord{stmt->column_text(0), stmt->column_int(1) != 0});
}

Result<std::size_t> SqliteDirectory::count_domain_users(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(
      "SELECT (SELECT count(*) FROM account WHERE domain = ?1) + (SELECT count(*) FROM alias WHERE domain = ?1)");
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->bind(1, name).step();
  if (!row) return tl::unexpected(row.error());
  return static_cast<std::size_t>(stmt->column_int(0));
}

Result<AccountId> SqliteDirectory::insert_account(const AccountRecord& record) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(
      "INSERT INTO account(local_part, local_key, domain, display_name, password_hash, quota_bytes) "
      "VALUES(?, ?, ?, ?, ?, ?)");
  if (!stmt) return tl::unexpected(stmt.error());
  auto status = stmt->bind(1, record.local_part)
                    .bind(2, record.local_key)
                    .bind(3, record.domain)
                    .bind(4, record.display_name)
                    .bind(5, record.password_hash)
                    .bind(6, static_cast<std::int64_t>(record.quota_bytes))
                    .run();
  if (!status) {
    if (status.error().code == Errc::already_exists) {
      return fail(Errc::already_exists, "account '" + record.address() + "' already exists");
    }
    return tl::unexpected(status.error());
  }
  return db_.last_insert_rowid();
}

Status SqliteDirectory::update_password(AccountId id, const std::string& hash) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare("UPDATE account SET password_hash = ? WHERE id = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  if (auto status = stmt->bind(1, hash).bind(2, id).run(); !status) return status;
  if (db_.changes() == 0) return fail(Errc::not_found, "no such account");
  return ok();
}

Status SqliteDirectory::delete_account(AccountId id) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare("DELETE FROM account WHERE id = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  if (auto status = stmt->bind(1, id).run(); !status) return status;
  if (db_.changes() == 0) return fail(Errc::not_found, "no such account");
  return ok();
}

Result<std::vector<AccountRecord>> SqliteDirectory::query_accounts(std::string_view where, const std::string& arg1,
                                                                   const std::string& arg2) {
  std::lock_guard lock(mutex_);
  std::string sql =
      "SELECT id, local_part, local_key, domain, display_name, password_hash, quota_bytes FROM account ";
  sql += where;
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  if (!arg1.empty()) stmt->bind(1, arg1);
  if (!arg2.empty()) stmt->bind(2, arg2);
  std::vector<AccountRecord> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    AccountRecord r;
    r.id = stmt->column_int(0);
    r.local_part = stmt->column_text(1);
    r.local_key = stmt->column_text(2);
    r.domain = stmt->column_text(3);
    r.display_name = stmt->column_text(4);
    r.password_hash = stmt->column_text(5);
    r.quota_bytes = static_cast<std::uint64_t>(stmt->column_int(6));
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<AccountRecord>> SqliteDirectory::select_accounts(const std::optional<std::string>& domain) {
  if (domain) return query_accounts("WHERE domain = ?1 ORDER BY domain, local_key", *domain, "");
  return query_accounts("ORDER BY domain, local_key", "", "");
}

Result<std::optional<AccountRecord>> SqliteDirectory::find_account(const std::string& local_key,
                                                                   const std::string& domain) {
  auto rows = query_accounts("WHERE local_key = ?1 AND domain = ?2", local_key, domain);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<AccountRecord>();
  return std::optional<AccountRecord>(std::move(rows->front()));
}

Result<std::optional<AccountRecord>> SqliteDirectory::find_account_by_id(AccountId id) {
  auto rows = query_accounts("WHERE id = ?1", std::to_string(id), "");
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<AccountRecord>();
  return std::optional<AccountRecord>(std::move(rows->front()));
}

Status SqliteDirectory::insert_alias(const AliasRecord& record) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare("INSERT INTO alias(key, domain, targets) VALUES(?, ?, ?)");
  if (!stmt) return tl::unexpected(stmt.error());
  auto status = stmt->bind(1, record.key).bind(2, domain_of_key(record.key)).bind(3, join_targets(record.targets)).run();
  if (!status && status.error().code == Errc::already_exists) {
    return fail(Errc::already_exists, "alias '" + record.key + "' already exists");
  }
  return status;
}

Status SqliteDirectory::delete_alias(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare("DELETE FROM alias WHERE key = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  if (auto status = stmt->bind(1, key).run(); !status) return status;
  if (db_.changes() == 0) return fail(Errc::not_found, "no alias '" + key + "'");
  return ok();
}

Result<std::vector<AliasRecord>> SqliteDirectory::select_aliases() {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare("SELECT key, targets FROM alias ORDER BY domain, key");
  if (!stmt) return tl::unexpected(stmt.error());
  std::vector<AliasRecord> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    out.push_back(AliasRecord{stmt->column_text(0), split_targets(stmt->column_text(1))});
  }
  return out;
}

Result<std::optional<AliasRecord>> SqliteDirectory::find_alias(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare("SELECT key, targets FROM alias WHERE key = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->bind(1, key).step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<AliasRecord>();
  return std::optional<AliasRecord>(AliasRecord{stmt->column_text(0), split_targets(stmt->column_text(1))});
}

}  // namespace bulwark::store::sqlite

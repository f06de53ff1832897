#include "store/sqlite/sqlite_db.h"

namespace bulwark::store::sqlite {

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  int primary = rc & 0xff;
  Errc code = (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_FULL ||
               primary == SQLITE_IOERR)
                  ? Errc::temporary_failure
                  : Errc::internal;
  if (primary == SQLITE_CONSTRAINT) code = Errc::already_exists;
  std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Error{code, std::string(what) + ": " + message};
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view value) {
  sqlite3_bind_blob(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_blob_borrowed(int index, std::string_view value) {
  sqlite3_bind_blob(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return tl::unexpected(sqlite_error(db_, rc, "sqlite step"));
}

Status Statement::run() {
  for (;;) {
    auto more = step();
    if (!more) return tl::unexpected(more.error());
    if (!*more) return ok();
  }
}

std::string Statement::column_text(int index) const {
  const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, index));
  int size = sqlite3_column_bytes(stmt_, index);
  return data ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

Result<Database> Database::open(const std::filesystem::path& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  Database db(raw);
  if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(raw, rc, "open " + path.string()));
  sqlite3_busy_timeout(raw, 10000);  // the admin CLI and the server share files
  // WAL + synchronous=FULL: commit returns after the WAL is fsync'd. temp_store=MEMORY: no temp files outside
  // data_dir (the sandbox allows nothing else).
  auto status = db.exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;");
  if (!status) return tl::unexpected(status.error());
  return db;
}

Result<Database> Database::open_reader(const std::filesystem::path& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  Database db(raw);
  if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(raw, rc, "open " + path.string()));
  sqlite3_busy_timeout(raw, 10000);
  // mmap: readers of one account share the page cache's pages instead of each copying them with pread (the
  // copy was most of a reader's kernel time). Address space only; SQLite falls back to pread past the size.
  auto status = db.exec("PRAGMA query_only=1; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=1073741824;");
  if (!status) return tl::unexpected(status.error());
  return db;
}

StatementCache::~StatementCache() {
  for (auto& [sql, statements] : idle_) {
    for (auto* stmt : statements) sqlite3_finalize(stmt);
  }
}

sqlite3_stmt* StatementCache::take(std::string_view sql) {
  auto it = idle_.find(std::string(sql));
  if (it == idle_.end() || it->second.empty()) return nullptr;
  sqlite3_stmt* stmt = it->second.back();
  it->second.pop_back();
  --count_;
  return stmt;
}

void StatementCache::give_back(sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);  // its error, if any, was reported by step()
  sqlite3_clear_bindings(stmt);
  const char* sql = sqlite3_sql(stmt);
  if (count_ >= kMaxCachedStatements || sql == nullptr) {
    sqlite3_finalize(stmt);
    return;
  }
  idle_[sql].push_back(stmt);
  ++count_;
}

Database::~Database() {
  statements_.reset();  // finalized before the connection closes
  if (db_) sqlite3_close_v2(db_);
}

Result<Statement> Database::prepare(std::string_view sql) {
  if (sqlite3_stmt* cached = statements_->take(sql)) return Statement(db_, cached, statements_.get());
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(db_, rc, "prepare"));
  return Statement(db_, stmt, statements_.get());
}

Status Database::exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string detail = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    auto error = sqlite_error(nullptr, rc, "exec");
    error.detail = "exec: " + detail;
    return tl::unexpected(error);
  }
  return ok();
}

Status Database::Transaction::begin() {
  auto status = db_.exec("BEGIN IMMEDIATE");
  open_ = status.has_value();
  return status;
}

Status Database::Transaction::commit() {
  auto status = db_.exec("COMMIT");
  if (status) open_ = false;
  return status;
}

Database::Transaction::~Transaction() {
  if (open_) (void)db_.exec("ROLLBACK");
}

}  // namespace bulwark::store::sqlite

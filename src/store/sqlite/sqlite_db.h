// A thin RAII layer over the SQLite C API for the backends in this folder. Nothing outside store/sqlite sees it.
// Connections are opened in WAL mode with synchronous=FULL, so a committed transaction is on disk (the WAL is
// fsync'd at commit) before the commit returns.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"

namespace bulwark::store::sqlite {

// Prepared statements kept for reuse by one Database, keyed by their SQL text. The stores prepare the same few
// dozen statements on every call (an IMAP session makes several per command), and parsing them cost more than
// running them. Bounded: beyond kMaxCachedStatements a returned statement is finalized instead.
class StatementCache {
 public:
  static constexpr std::size_t kMaxCachedStatements = 128;
  StatementCache() = default;
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;
  ~StatementCache();
  sqlite3_stmt* take(std::string_view sql);  // nullptr when none is cached
  void give_back(sqlite3_stmt* stmt);        // resets it and clears its bindings

 private:
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>> idle_;
  std::size_t count_ = 0;
};

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, StatementCache* cache = nullptr) : db_(db), stmt_(stmt), cache_(cache) {}
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_), cache_(other.cache_) {
    other.stmt_ = nullptr;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement() {
    if (stmt_ != nullptr && cache_ != nullptr) {
      cache_->give_back(stmt_);
    } else {
      sqlite3_finalize(stmt_);
    }
  }

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind_blob(int index, std::string_view value);
  // Without SQLite's copy (SQLITE_STATIC): `value` must stay alive until the statement is finalized. For large
  // message bodies.
  Statement& bind_blob_borrowed(int index, std::string_view value);
  Statement& bind_null(int index);
  // true: a row is ready; false: done. Errors become Errc::internal (or temporary_failure when busy).
  [[nodiscard]] Result<bool> step();
  [[nodiscard]] Status run();  // step to completion, expecting no rows

  std::int64_t column_int(int index) const { return sqlite3_column_int64(stmt_, index); }
  std::string column_text(int index) const;
  bool column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  StatementCache* cache_;
};

class Database {
 public:
  // Opens (creating if needed) the database file and applies the durability pragmas.
  static Result<Database> open(const std::filesystem::path& path);
  // Opens an existing database for reading only (`PRAGMA query_only`): a WAL reader beside the writer.
  static Result<Database> open_reader(const std::filesystem::path& path);
  Database(Database&& other) noexcept : db_(other.db_), statements_(std::move(other.statements_)) { other.db_ = nullptr; }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  Database& operator=(Database&&) = delete;
  ~Database();

  [[nodiscard]] Result<Statement> prepare(std::string_view sql);
  [[nodiscard]] Status exec(std::string_view sql);
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  // For the C API calls this layer does not wrap (WAL hook and checkpoints, see wal_checkpointer.h).
  sqlite3* handle() const { return db_; }
  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

  // BEGIN IMMEDIATE ... COMMIT; rolled back on destruction unless committed.
  class Transaction {
   public:
    explicit Transaction(Database& db) : db_(db) {}
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    [[nodiscard]] Status begin();
    [[nodiscard]] Status commit();

   private:
    Database& db_;
    bool open_ = false;
  };

 private:
  explicit Database(sqlite3* db) : db_(db), statements_(std::make_unique<StatementCache>()) {}
  sqlite3* db_;
  // Statements must not outlive their Database (they never do: they are locals of one store call).
  std::unique_ptr<StatementCache> statements_;
};

Error sqlite_error(sqlite3* db, int rc, std::string_view what);

}  // namespace bulwark::store::sqlite

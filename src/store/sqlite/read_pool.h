// Read-only connections to one account's database, so that IMAP reads (SELECT, FETCH, STATUS, the change checks at
// every command boundary) neither take the account's write lock nor wait for a writer's fsync. SQLite in WAL mode
// lets any number of readers run beside the one writer; each reader sees the last committed transaction at the
// moment its read transaction began, so a session reads its own writes (they committed before the store returned)
// and every other session's.
//
// Contract: acquire() hands out an idle connection, opens a new one while fewer than `max_connections` exist, and
// otherwise waits for one to come back. A Lease returns its connection on destruction. Connections are opened
// without SQLITE_OPEN_CREATE and with `PRAGMA query_only`, so a reader can never change the database.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "base/result.h"
#include "store/sqlite/sqlite_db.h"

namespace bulwark::store::sqlite {

class ReadPool {
 public:
  ReadPool(std::filesystem::path path, std::size_t max_connections);
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;

  class Lease {
   public:
    Lease(ReadPool& pool, std::unique_ptr<Database> db) : pool_(&pool), db_(std::move(db)) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), db_(std::move(other.db_)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Database& db() { return *db_; }

   private:
    ReadPool* pool_;
    std::unique_ptr<Database> db_;
  };

  [[nodiscard]] Result<Lease> acquire();

 private:
  void give_back(std::unique_ptr<Database> db);
  void forget_one();  // a leased connection was closed instead of returned

  std::filesystem::path path_;
  std::size_t max_connections_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Database>> idle_;
  std::size_t open_ = 0;  // idle and leased
};

// BEGIN ... COMMIT around the statements of one read, so they all see one snapshot (a SELECT's counts match its
// message list). Ended (COMMIT, which for a read only releases the snapshot) on destruction.
class ReadTransaction {
 public:
  explicit ReadTransaction(Database& db) : db_(db) {}
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  ~ReadTransaction();
  [[nodiscard]] Status begin();

 private:
  Database& db_;
  bool open_ = false;
};

}  // namespace bulwark::store::sqlite

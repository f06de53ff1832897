// WAL checkpoints off the commit path (ADR 0003, "Checkpoints"). SQLite's automatic checkpoint runs inside the
// COMMIT that crosses 1000 WAL pages, so every ~60th 64 KiB delivery waited for a checkpoint of the whole WAL and
// its database sync (tens of milliseconds). Here a writer connection's WAL hook only hands the file to one
// background thread, which checkpoints it on its own connection: first PASSIVE with no lock (commits keep
// appending to the WAL meanwhile), then, if commits arrived during that, PASSIVE again on the few new frames
// while holding the writer's lock, so that the whole WAL is copied and the next commit restarts it from its
// beginning instead of growing it. If the WAL still reaches `max_pages` (the thread fell behind), the committing
// connection runs a RESTART checkpoint itself: slower commits, bounded WAL.
//
// Durability is unchanged: commits still sync the WAL (synchronous=FULL); a checkpoint syncs the database file
// before SQLite lets a writer reuse the WAL.
#pragma once

#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "store/sqlite/sqlite_db.h"

namespace bulwark::store::sqlite {

struct WalLimits {
  std::uint32_t checkpoint_pages = 1000;  // a WAL this long is handed to the background checkpointer
  std::uint32_t max_pages = 16384;        // a WAL this long is checkpointed by the committing connection itself
};

class WalCheckpointer {
 public:
  // One writer connection's registration, kept by its owner next to the connection (the hook points to it).
  struct Writer {
    WalCheckpointer* owner = nullptr;
    std::filesystem::path path;       // the database file
    std::weak_ptr<std::mutex> lock;   // held by the owner around every use of the writer connection
  };

  explicit WalCheckpointer(WalLimits limits);
  ~WalCheckpointer();  // stops and joins the thread
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Replaces SQLite's automatic checkpoint on `db` (the owner's writer connection) with this one.
  void attach(Database& db, Writer& writer);

 private:
  static int on_commit(void* arg, sqlite3* db, const char* name, int pages);
  void request(const Writer& writer);
  void run();
  // True when the whole WAL was copied (or its owner is gone); false when it must be tried again.
  bool checkpoint(const std::filesystem::path& path, const std::weak_ptr<std::mutex>& writer_lock);

  WalLimits limits_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::filesystem::path, std::weak_ptr<std::mutex>> requested_;
  std::map<std::filesystem::path, Database> connections_;  // the thread's own connections; only it uses them
  std::thread thread_;                                     // last: starts after everything above exists
};

}  // namespace bulwark::store::sqlite

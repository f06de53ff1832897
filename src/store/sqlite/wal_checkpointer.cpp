#include "store/sqlite/wal_checkpointer.h"

namespace bulwark::store::sqlite {

WalCheckpointer::WalCheckpointer(WalLimits limits) : limits_(limits), thread_([this] { run(); }) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void WalCheckpointer::attach(Database& db, Writer& writer) {
  writer.owner = this;
  // Installing a WAL hook removes SQLite's automatic checkpoint (it is itself a WAL hook).
  sqlite3_wal_hook(db.handle(), &WalCheckpointer::on_commit, &writer);
}

// Called by SQLite after each commit on a writer connection, with the owner's lock held, `pages` being the
// WAL's length. Always SQLITE_OK: the transaction is committed whatever happens here.
int WalCheckpointer::on_commit(void* arg, sqlite3* db, const char* name, int pages) {
  auto* writer = static_cast<Writer*>(arg);
  const auto& limits = writer->owner->limits_;
  if (limits.max_pages != 0 && static_cast<std::uint32_t>(pages) >= limits.max_pages) {
    // Copies the WAL and waits for readers to leave it, so the next commit restarts it: bounded growth. A
    // failure (busy) leaves it for the next commit.
    (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
  } else if (static_cast<std::uint32_t>(pages) >= limits.checkpoint_pages) {
    writer->owner->request(*writer);
  }
  return SQLITE_OK;
}

void WalCheckpointer::request(const Writer& writer) {
  {
    std::lock_guard lock(mutex_);
    requested_.insert_or_assign(writer.path, writer.lock);
  }
  wake_.notify_one();
}

void WalCheckpointer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !requested_.empty(); });
    if (stopping_) return;
    std::map<std::filesystem::path, std::weak_ptr<std::mutex>> work;
    work.swap(requested_);
    lock.unlock();
    bool retry = false;
    for (const auto& [path, writer_lock] : work) {
      const bool complete = checkpoint(path, writer_lock);
      std::lock_guard relock(mutex_);
      if (complete) {
        // Requests made while it ran are stale: a commit before the last step is copied, and one after it
        // restarted the WAL. Running again would only sync the database for a few new frames.
        requested_.erase(path);
      } else {
        // Busy or failed (it could not even open the database): asked again, after a pause, so that a WAL
        // handed over once is never left behind.
        requested_.insert({path, writer_lock});
        retry = true;
      }
    }
    lock.lock();
    if (retry) wake_.wait_for(lock, std::chrono::milliseconds(10), [this] { return stopping_; });
  }
}

bool WalCheckpointer::checkpoint(const std::filesystem::path& path, const std::weak_ptr<std::mutex>& writer_lock) {
  auto it = connections_.find(path);
  if (it == connections_.end()) {
    auto opened = Database::open(path);
    if (!opened) return false;
    it = connections_.emplace(path, std::move(*opened)).first;
  }
  sqlite3* db = it->second.handle();
  int log = 0, copied = 0;
  // The bulk of the copy and the database sync, while commits go on.
  if (sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) != SQLITE_OK) return false;
  if (copied >= log) return true;  // all of it: the next commit restarts the WAL
  // The frames committed meanwhile, with the writer held off. The writer connection is the account's only
  // reader too, so nothing pins the WAL: everything gets copied, and the next commit restarts it.
  auto held = writer_lock.lock();
  if (!held) return true;  // the owner is gone: nothing left to do for it
  std::lock_guard hold(*held);
  if (sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) != SQLITE_OK) return false;
  return copied >= log;
}

}  // namespace bulwark::store::sqlite

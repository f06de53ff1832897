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
    for (const auto& [path, writer_lock] : work) {
      checkpoint(path, writer_lock);
      // Requests made while it ran are stale: a commit before the last step is copied, and one after it
      // restarted the WAL. Running again would only sync the database for a few new frames.
      std::lock_guard drop(mutex_);
      requested_.erase(path);
    }
    lock.lock();
  }
}

void WalCheckpointer::checkpoint(const std::filesystem::path& path, const std::weak_ptr<std::mutex>& writer_lock) {
  auto it = connections_.find(path);
  if (it == connections_.end()) {
    auto opened = Database::open(path);
    if (!opened) return;  // retried on the next request
    it = connections_.emplace(path, std::move(*opened)).first;
  }
  sqlite3* db = it->second.handle();
  int log = 0, copied = 0;
  // The bulk of the copy and the database sync, while commits go on.
  if (sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) != SQLITE_OK) return;
  if (copied >= log) return;  // all of it: the next commit restarts the WAL
  // The frames committed meanwhile, with the writer held off. The writer connection is the account's only
  // reader too, so nothing pins the WAL: everything gets copied, and the next commit restarts it.
  auto held = writer_lock.lock();
  if (!held) return;  // the owner is gone
  std::lock_guard hold(*held);
  (void)sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
}

}  // namespace bulwark::store::sqlite

#include "store/sqlite/read_pool.h"

namespace bulwark::store::sqlite {

ReadPool::ReadPool(std::filesystem::path path, std::size_t max_connections)
    : path_(std::move(path)), max_connections_(max_connections == 0 ? 1 : max_connections) {}

ReadPool::Lease::~Lease() {
  if (!db_) return;
  // A connection still inside a read transaction would pin an old snapshot for its next user: end it, or drop
  // the connection.
  if (db_->in_transaction()) (void)db_->exec("ROLLBACK");
  if (db_->in_transaction()) {
    db_.reset();
    pool_->forget_one();
    return;
  }
  pool_->give_back(std::move(db_));
}

Result<ReadPool::Lease> ReadPool::acquire() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [&] { return !idle_.empty() || open_ < max_connections_; });
  if (!idle_.empty()) {
    auto db = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(db));
  }
  ++open_;  // reserved before the (slow) open, released again if it fails
  lock.unlock();
  auto opened = Database::open_reader(path_);
  if (!opened) {
    lock.lock();
    --open_;
    returned_.notify_one();
    return tl::unexpected(opened.error());
  }
  return Lease(*this, std::make_unique<Database>(std::move(*opened)));
}

void ReadPool::forget_one() {
  {
    std::lock_guard lock(mutex_);
    --open_;
  }
  returned_.notify_one();
}

void ReadPool::give_back(std::unique_ptr<Database> db) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(db));
  }
  returned_.notify_one();
}

Status ReadTransaction::begin() {
  BULWARK_TRY_ASSIGN(auto stmt, db_.prepare("BEGIN"));
  BULWARK_TRY(stmt.run());
  open_ = true;
  return ok();
}

ReadTransaction::~ReadTransaction() {
  if (!open_) return;
  auto stmt = db_.prepare("COMMIT");
  if (stmt) (void)stmt->run();
}

}  // namespace bulwark::store::sqlite

#include "store/sqlite/write_group.h"

namespace bulwark::store::sqlite {

Status WriteGroup::run(std::mutex& db_mutex, Database& db, const Work& work) {
  Pending mine{&work, std::nullopt};
  std::unique_lock lock(mutex_);
  pending_.push_back(&mine);
  while (!mine.result) {
    if (committing_) {
      done_.wait(lock);
      continue;
    }
    // Leader: everything queued so far (this write included) in one transaction.
    committing_ = true;
    std::vector<Pending*> batch;
    batch.swap(pending_);
    lock.unlock();
    std::vector<Status> results;
    try {
      std::lock_guard db_lock(db_mutex);
      results = commit_batch(db, batch);
    } catch (...) {  // out of memory: release the followers before the exception leaves
      lock.lock();
      for (auto* p : batch) p->result = Status(fail(Errc::internal, "write batch aborted"));
      committing_ = false;
      done_.notify_all();
      throw;
    }
    // Only now, after the COMMIT, under mutex_: a follower that wakes for any reason returns only once its
    // result is set, and so never before its write is durable.
    lock.lock();
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->result = std::move(results[i]);
    committing_ = false;
    done_.notify_all();
  }
  return *mine.result;
}

std::vector<Status> WriteGroup::commit_batch(Database& db, const std::vector<Pending*>& batch) {
  std::vector<Status> out;
  out.reserve(batch.size());
  auto fail_all = [&](const Error& error) {
    out.assign(batch.size(), Status(tl::unexpected(error)));
    return out;
  };
  Database::Transaction txn(db);
  if (auto status = txn.begin(); !status) return fail_all(status.error());
  for (auto* p : batch) {
    if (auto status = db.exec("SAVEPOINT write"); !status) return fail_all(status.error());
    auto status = (*p->work)(db);
    if (!status) {
      // Undo only this write. If even that fails the transaction's state is unknown: fail the whole batch.
      if (!db.exec("ROLLBACK TO write") || !db.exec("RELEASE write")) return fail_all(status.error());
    } else if (auto released = db.exec("RELEASE write"); !released) {
      return fail_all(released.error());
    }
    out.push_back(std::move(status));
  }
  if (auto status = txn.commit(); !status) return fail_all(status.error());
  return out;
}

}  // namespace bulwark::store::sqlite

// QueueStore on SQLite: data_dir/queue.db, WAL with synchronous=FULL (see sqlite_db.h), so enqueue() returns
// after the entry is on disk. One connection, serialised by a mutex: the queue is written once per accepted
// message, far below what one SQLite writer sustains.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "store/queue_store.h"
#include "store/sqlite/sqlite_db.h"

namespace bulwark::store::sqlite {

class SqliteQueueStore final : public QueueStore {
 public:
  static Result<std::unique_ptr<SqliteQueueStore>> open(const std::filesystem::path& data_dir);

  Result<QueueId> enqueue(const BlobRef& blob, const QueueEnvelope& envelope) override;
  Result<std::vector<QueuedMessage>> list() override;

 private:
  explicit SqliteQueueStore(Database db) : db_(std::move(db)) {}

  std::mutex mutex_;
  Database db_;
};

}  // namespace bulwark::store::sqlite

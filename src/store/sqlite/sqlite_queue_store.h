// QueueStore on SQLite: data_dir/queue.db, WAL with synchronous=FULL (see sqlite_db.h), so every write returns
// after it is on disk. One connection, serialised by a mutex: the queue is written a few times per message,
// far below what one SQLite writer sustains. Message bytes are read from the blob store they were stored in.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "store/blob_store.h"
#include "store/queue_store.h"
#include "store/sqlite/sqlite_db.h"

namespace bulwark::store::sqlite {

class SqliteQueueStore final : public QueueStore {
 public:
  static Result<std::unique_ptr<SqliteQueueStore>> open(const std::filesystem::path& data_dir,
                                                        std::shared_ptr<BlobStore> blobs);

  Result<QueueId> enqueue(const BlobRef& blob, const QueueEnvelope& envelope) override;
  Result<std::vector<QueuedMessage>> list() override;
  Result<QueuedMessage> get(QueueId id) override;
  Result<std::vector<QueuedMessage>> due(std::int64_t now, std::size_t limit) override;
  Status record(QueueId id, const std::vector<RecipientUpdate>& updates) override;
  Result<std::size_t> retry(std::optional<QueueId> id, std::int64_t now) override;
  Status remove(QueueId id) override;
  Result<std::string> read_content(const QueuedMessage& message) override;

 private:
  SqliteQueueStore(Database db, std::shared_ptr<BlobStore> blobs) : db_(std::move(db)), blobs_(std::move(blobs)) {}
  // Callers hold mutex_.
  Result<std::vector<QueuedMessage>> select_messages(std::string_view where, std::int64_t arg, std::size_t limit);
  Status load_recipients(QueuedMessage& message);

  std::mutex mutex_;
  Database db_;
  std::shared_ptr<BlobStore> blobs_;
};

}  // namespace bulwark::store::sqlite

// The outbound queue's state machine on SQLite: enqueue, due selection, per-recipient outcomes, retry, delete,
// and that everything survives closing and reopening the database (a restart).
#include <gtest/gtest.h>

#include "store/blob_fs/fs_blob_store.h"
#include "store/sqlite/sqlite_mail_store.h"
#include "store/sqlite/sqlite_queue_store.h"
#include "temp_dir.h"

namespace bulwark::store {
namespace {

class QueueStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    blobs_ = std::move(blob_fs::FsBlobStore::open(dir_.path()).value());
    mail_ = std::make_unique<sqlite::SqliteMailStore>(dir_.path(), blobs_);
    reopen();
  }
  void reopen() {
    queue_.reset();
    queue_ = std::move(sqlite::SqliteQueueStore::open(dir_.path(), blobs_).value());
  }
  QueueId enqueue(std::vector<std::string> rcpts, std::string content = "Subject: x\r\n\r\nhi\r\n") {
    auto blob = mail_->store_blob(content).value();
    QueueEnvelope e;
    e.sender = "alice@example.org";
    e.envid = "E1";
    e.require_tls = true;
    for (auto& r : rcpts) e.recipients.push_back(QueueRecipient{r, "FAILURE", "", "", ""});
    return queue_->enqueue(blob, e).value();
  }

  testing::TempDir dir_;
  std::shared_ptr<BlobStore> blobs_;
  std::unique_ptr<sqlite::SqliteMailStore> mail_;
  std::unique_ptr<sqlite::SqliteQueueStore> queue_;
};

TEST_F(QueueStoreTest, RecipientStatesSurviveReopen) {
  auto id = enqueue({"a@remote.test", "b@remote.test", "c@other.test"});
  auto due = queue_->due(INT64_MAX, 10).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(queue_->read_content(due[0]).value(), "Subject: x\r\n\r\nhi\r\n");
  ASSERT_TRUE(queue_->record(id, {{0, QueueState::delivered, "", 0, true},
                                  {1, QueueState::pending, "451 4.3.0 later", 5000, true},
                                  {2, QueueState::failed, "550 5.1.1 no", 0, true}}));
  reopen();
  auto m = queue_->get(id).value();
  EXPECT_TRUE(m.envelope.require_tls);
  EXPECT_EQ(m.envelope.envid, "E1");
  ASSERT_EQ(m.recipients.size(), 3u);
  EXPECT_EQ(m.recipients[0].state, QueueState::delivered);
  EXPECT_EQ(m.recipients[1].state, QueueState::pending);
  EXPECT_EQ(m.recipients[1].attempts, 1u);
  EXPECT_EQ(m.recipients[1].next_attempt, 5000);
  EXPECT_EQ(m.recipients[1].recipient.last_error, "451 4.3.0 later");
  EXPECT_EQ(m.recipients[2].state, QueueState::failed);
  EXPECT_EQ(m.next_attempt, 5000);
  EXPECT_TRUE(queue_->due(4999, 10).value().empty());
  EXPECT_EQ(queue_->due(5000, 10).value().size(), 1u);
  // Nothing pending any more: the message leaves the queue.
  ASSERT_TRUE(queue_->record(id, {{1, QueueState::delivered, "", 0, true}}));
  EXPECT_EQ(queue_->get(id).error().code, Errc::not_found);
  EXPECT_EQ(queue_->record(id, {{1, QueueState::delivered, "", 0, true}}).error().code, Errc::not_found);
}

TEST_F(QueueStoreTest, RetryAndDelete) {
  auto a = enqueue({"a@remote.test"});
  auto b = enqueue({"b@remote.test"});
  ASSERT_TRUE(queue_->record(a, {{0, QueueState::pending, "later", 9000, true}}));
  ASSERT_TRUE(queue_->record(b, {{0, QueueState::pending, "later", 9000, true}}));
  EXPECT_TRUE(queue_->due(100, 10).value().empty());
  EXPECT_EQ(queue_->retry(a, 100).value(), 1u);
  auto due = queue_->due(100, 10).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, a);
  EXPECT_EQ(queue_->retry(std::nullopt, 100).value(), 2u);
  EXPECT_EQ(queue_->due(100, 10).value().size(), 2u);
  EXPECT_EQ(queue_->due(100, 1).value().size(), 1u);
  ASSERT_TRUE(queue_->remove(a));
  EXPECT_EQ(queue_->remove(a).error().code, Errc::not_found);
  EXPECT_EQ(queue_->retry(a, 100).error().code, Errc::not_found);
  EXPECT_EQ(queue_->list().value().size(), 1u);
}

}  // namespace
}  // namespace bulwark::store

// The outbound queue's state machine on SQLite: enqueue, due selection, per-recipient outcomes, retry, delete,
// and that everything survives closing and reopening the database (a restart). Concurrent writes share commits
// (group commit): each still ends durable and distinct, and a failing one does not take the others with it.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

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
  void reopen(std::uint64_t inline_max = sqlite::SqliteQueueStore::kDefaultInlineMaxBytes) {
    queue_.reset();
    queue_ = std::move(sqlite::SqliteQueueStore::open(dir_.path(), blobs_, inline_max).value());
  }
  static QueueEnvelope envelope_to(const std::string& rcpt) {
    QueueEnvelope e;
    e.sender = "alice@example.org";
    e.recipients.push_back(QueueRecipient{rcpt, "", "", "", ""});
    return e;
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

TEST_F(QueueStoreTest, InlineContentIsKeptInTheQueueAndLeavesWithTheEntry) {
  reopen(100);  // up to 100 bytes inside queue.db, larger ones as blob files
  const std::string small = "Subject: small\r\n\r\nhi\r\n";
  const std::string large = "Subject: large\r\n\r\n" + std::string(500, 'x') + "\r\n";
  auto s = queue_->enqueue_content(small, envelope_to("a@remote.test")).value();
  auto l = queue_->enqueue_content(large, envelope_to("b@remote.test")).value();
  reopen(100);
  auto sm = queue_->get(s).value();
  auto lm = queue_->get(l).value();
  EXPECT_TRUE(sm.blob_id.empty());
  EXPECT_EQ(sm.size, small.size());
  EXPECT_EQ(queue_->read_content(sm).value(), small);
  EXPECT_EQ(lm.blob_id.size(), 64u);
  EXPECT_EQ(lm.size, large.size());
  EXPECT_EQ(queue_->read_content(lm).value(), large);
  EXPECT_EQ(blobs_->get(lm.blob_id).value(), large);
  // Delivered: the entry and its inline bytes are gone.
  ASSERT_TRUE(queue_->record(s, {{0, QueueState::delivered, "", 0, true}}));
  EXPECT_EQ(queue_->read_content(sm).error().code, Errc::not_found);
  // Removed by an admin: likewise.
  auto r = queue_->enqueue_content(small, envelope_to("c@remote.test")).value();
  auto rm = queue_->get(r).value();
  ASSERT_TRUE(queue_->remove(r));
  EXPECT_EQ(queue_->read_content(rm).error().code, Errc::not_found);
  EXPECT_EQ(queue_->enqueue_content(small, QueueEnvelope{}).error().code, Errc::invalid_argument);
  EXPECT_EQ(queue_->enqueue_content(large, QueueEnvelope{}).error().code, Errc::invalid_argument);
}

// Many threads enqueue at once (their writes share transactions) while others record outcomes for messages that do
// not exist (each such write fails inside a batch and is rolled back alone): every enqueue returns a distinct id,
// and after a reopen every message is there with its own bytes and recipient.
TEST_F(QueueStoreTest, ConcurrentEnqueuesAreAllDurableAndAFailingWriteLosesNoOther) {
  reopen(256);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::vector<std::vector<std::pair<QueueId, std::string>>> done(kThreads);
  std::atomic<int> failures{0};
  std::atomic<int> not_found{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string rcpt = "u" + std::to_string(t) + "-" + std::to_string(i) + "@remote.test";
        // Every third message is over the inline limit and goes through the blob store.
        const std::string content = "Subject: " + rcpt + "\r\n\r\n" + std::string(i % 3 == 0 ? 400 : 10, 'b');
        auto id = queue_->enqueue_content(content, envelope_to(rcpt));
        if (!id) {
          ++failures;
          continue;
        }
        done[static_cast<std::size_t>(t)].emplace_back(*id, content);
        auto missing = queue_->record(QueueId{1} << 40, {{0, QueueState::delivered, "", 0, true}});
        if (!missing && missing.error().code == Errc::not_found) ++not_found;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(not_found.load(), kThreads * kPerThread);
  reopen(256);
  std::set<QueueId> ids;
  for (const auto& per_thread : done) {
    for (const auto& [id, content] : per_thread) {
      EXPECT_TRUE(ids.insert(id).second) << "id " << id << " returned twice";
      auto m = queue_->get(id);
      ASSERT_TRUE(m) << "queued message " << id << " lost";
      EXPECT_EQ(queue_->read_content(*m).value(), content);
      ASSERT_EQ(m->recipients.size(), 1u);
      EXPECT_NE(content.find(m->recipients[0].recipient.address), std::string::npos);
    }
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(queue_->list().value().size(), ids.size());
}

// Outcomes recorded concurrently (as the delivery connections do) each take effect: every message leaves the queue.
TEST_F(QueueStoreTest, ConcurrentRecordsAllTakeEffect) {
  std::vector<QueueId> ids;
  for (int i = 0; i < 64; ++i) {
    ids.push_back(queue_->enqueue_content("x", envelope_to("r" + std::to_string(i) + "@remote.test")).value());
  }
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < ids.size(); i += 4) {
        if (!queue_->record(ids[i], {{0, QueueState::delivered, "", 0, true}})) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  reopen();
  EXPECT_TRUE(queue_->list().value().empty());
}

}  // namespace
}  // namespace bulwark::store

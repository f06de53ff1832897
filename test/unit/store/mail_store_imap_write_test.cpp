// The SQLite store under several IMAP sessions of one account (read_pool.h, write_group.h): APPEND of a small
// message kept in the account's database, concurrent writers in group commits (every write durable and visible
// to readers when it returns, distinct UIDs, a failing write not taking the others with it), and readers that
// neither block nor see a half-done batch.
#include <atomic>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "store_fixture.h"

namespace bulwark::store {
namespace {

class ImapWriteTest : public StoreFixture {
 protected:
  std::unique_ptr<BlobStore> blob_files() { return std::move(blob_fs::FsBlobStore::open(dir_.path()).value()); }
};

TEST_F(ImapWriteTest, SmallAppendIsKeptInTheAccountDatabase) {
  auto alice = login("alice@example.org");
  const std::string content = "Subject: appended\r\n\r\nhello\r\n";
  auto appended = mail_->append_message(alice, mailbox(alice, "Drafts").ref, content, NewMessage{{"\\Draft"}, 0, ""});
  ASSERT_TRUE(appended) << appended.error().detail;
  EXPECT_EQ(mail_->read_message(alice, mailbox(alice, "Drafts").ref, appended->uid).value(), content);
  EXPECT_EQ(blob_files()->get(blob_fs::sha256_hex(content)).error().code, Errc::not_found);
  auto records = mail_->list_messages(alice, mailbox(alice, "Drafts").ref, 1, 10).value();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].flags, std::vector<std::string>{"\\Draft"});
}

TEST_F(ImapWriteTest, AppendAboveTheInlineLimitGoesToTheBlobStore) {
  std::shared_ptr<BlobStore> blobs = blob_files();
  sqlite::SqliteMailStore store(dir_.path(), blobs, 16);
  auto alice = login("alice@example.org");
  const std::string content = "Subject: large\r\n\r\nmore than sixteen bytes\r\n";
  auto ref = store.find_mailbox(alice, alice.account_id(), "INBOX").value().ref;
  auto appended = store.append_message(alice, ref, content, NewMessage{});
  ASSERT_TRUE(appended) << appended.error().detail;
  EXPECT_EQ(blob_files()->get(blob_fs::sha256_hex(content)).value(), content);
  EXPECT_EQ(store.read_message(alice, ref, appended->uid).value(), content);
}

TEST_F(ImapWriteTest, AppendNeedsTheInsertRight) {
  auto alice = login("alice@example.org");
  auto bob = login("bob@example.org");
  auto appended = mail_->append_message(bob, mailbox(alice, "INBOX").ref, "Subject: x\r\n\r\ny\r\n", NewMessage{});
  ASSERT_FALSE(appended);
  EXPECT_TRUE(appended.error().code == Errc::permission_denied || appended.error().code == Errc::not_found);
}

// Eight writers (append, flag, expunge) and two readers on one account at once, as IMAP sessions do.
TEST_F(ImapWriteTest, ConcurrentWritersAndReadersOfOneAccount) {
  constexpr int kWriters = 8, kEach = 25;
  auto alice = login("alice@example.org");
  auto bob = login("bob@example.org");
  const auto inbox = mailbox(alice, "INBOX").ref;
  std::vector<std::vector<std::uint32_t>> kept(kWriters);
  std::vector<std::string> errors(kWriters);
  std::atomic<bool> done{false};
  std::atomic<int> stale_reads{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kWriters; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto appended = mail_->append_message(alice, inbox, fmt::format("Subject: {}-{}\r\n\r\nx\r\n", t, i), NewMessage{});
        if (!appended) return void(errors[t] = appended.error().detail);
        // Visible to a reader as soon as append_message returned.
        auto state = mail_->changes_since(alice, inbox, appended->modseq - 1);
        if (!state || state->state.highest_modseq < appended->modseq) ++stale_reads;
        const std::uint32_t uid = appended->uid;
        auto flagged = mail_->update_flags(alice, inbox, std::vector<std::uint32_t>{uid}, FlagOp::add, {"\\Deleted"},
                                           std::nullopt, nullptr);
        if (!flagged || flagged->size() != 1) return void(errors[t] = "flag");
        if (i % 2 == 0) {
          auto gone = mail_->expunge(alice, inbox, std::vector<std::uint32_t>{uid});
          if (!gone || *gone != std::vector<std::uint32_t>{uid}) return void(errors[t] = "expunge");
        } else {
          kept[t].push_back(uid);
        }
        // A write that fails inside a batch (bob has no right on alice's INBOX) fails alone.
        auto bad = mail_->update_flags(bob, inbox, std::vector<std::uint32_t>{uid}, FlagOp::add, {"\\Flagged"},
                                       std::nullopt, nullptr);
        if (bad) return void(errors[t] = "bob's write was accepted");
      }
    });
  }
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (!done) {
        auto changes = mail_->changes_since(alice, inbox, 0);
        // One snapshot: the count and the list agree.
        if (changes && changes->changed.size() != changes->state.messages) ++stale_reads;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  done = true;
  for (auto& thread : readers) thread.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  EXPECT_EQ(stale_reads.load(), 0);
  std::set<std::uint32_t> uids;
  for (const auto& k : kept) uids.insert(k.begin(), k.end());
  EXPECT_EQ(uids.size(), static_cast<std::size_t>(kWriters * (kEach / 2)));  // odd i kept
  auto all = mail_->changes_since(alice, inbox, 0).value();
  EXPECT_EQ(all.state.messages, uids.size());
  EXPECT_EQ(all.state.uid_next, static_cast<std::uint32_t>(kWriters * kEach + 1));  // no UID handed out twice
  for (const auto& m : all.changed) EXPECT_TRUE(uids.count(m.uid)) << m.uid;
}

TEST_F(ImapWriteTest, OneReadConnectionIsEnoughForManyReaders) {
  std::shared_ptr<BlobStore> blobs = blob_files();
  sqlite::SqliteMailStore store(dir_.path(), blobs, 1024, sqlite::WalLimits{}, 1);
  auto alice = login("alice@example.org");
  auto ref = store.find_mailbox(alice, alice.account_id(), "INBOX").value().ref;
  ASSERT_TRUE(store.append_message(alice, ref, "Subject: a\r\n\r\nb\r\n", NewMessage{}));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto m = store.read_message(alice, ref, 1);
        if (!m || *m != "Subject: a\r\n\r\nb\r\n") ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace bulwark::store

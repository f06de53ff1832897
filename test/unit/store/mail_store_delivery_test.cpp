// MailStore::deliver_message on SQLite (ADR 0003): small single-account messages kept in the account's database,
// multi-account and large ones in one blob, group commit of concurrent deliveries, quota inside a batch, and
// delivery_usage for RCPT.
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "store_fixture.h"

namespace bulwark::store {
namespace {

class DeliveryTest : public StoreFixture {
 protected:
  std::vector<Result<Appended>> deliver(const std::vector<DeliveryTarget>& targets, const std::string& content) {
    return mail_->deliver_message(targets, content, NewMessage{});
  }
  std::string read_inbox(const std::string& address, std::uint32_t uid) {
    auto who = login(address);
    return mail_->read_message(who, mailbox(who, "INBOX").ref, uid).value();
  }
  std::unique_ptr<BlobStore> blob_files() { return std::move(blob_fs::FsBlobStore::open(dir_.path()).value()); }
};

TEST_F(DeliveryTest, OneAccountSmallMessageIsKeptInItsDatabase) {
  const std::string content = "Subject: small\r\n\r\nhello\r\n";
  auto results = deliver({target("alice@example.org")}, content);
  ASSERT_EQ(results.size(), 1u);
  ASSERT_TRUE(results[0]) << results[0].error().detail;
  EXPECT_EQ(results[0]->uid, 1u);
  EXPECT_EQ(read_inbox("alice@example.org", 1), content);
  // No blob file: the bytes are in alice's mail.db.
  auto id = blob_fs::sha256_hex(content);
  EXPECT_EQ(blob_files()->get(id).error().code, Errc::not_found);
  auto records = mail_->list_messages(login("alice@example.org"), mailbox(login("alice@example.org"), "INBOX").ref,
                                      1, 1).value();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].blob_id, id);
  EXPECT_EQ(records[0].size, content.size());
}

TEST_F(DeliveryTest, SeveralAccountsShareOneBlob) {
  const std::string content = "Subject: shared\r\n\r\nfor two\r\n";
  auto results = deliver({target("alice@example.org"), target("bob@example.org")}, content);
  ASSERT_EQ(results.size(), 2u);
  ASSERT_TRUE(results[0] && results[1]);
  EXPECT_EQ(blob_files()->get(blob_fs::sha256_hex(content)).value(), content);
  EXPECT_EQ(read_inbox("alice@example.org", results[0]->uid), content);
  EXPECT_EQ(read_inbox("bob@example.org", results[1]->uid), content);
}

TEST_F(DeliveryTest, MessageAboveTheInlineLimitGoesToTheBlobStore) {
  std::shared_ptr<BlobStore> blobs = blob_files();
  sqlite::SqliteMailStore store(dir_.path(), blobs, 16);
  const std::string content = "Subject: large\r\n\r\nmore than sixteen octets\r\n";
  std::vector<DeliveryTarget> targets{target("alice@example.org")};
  auto results = store.deliver_message(targets, content, NewMessage{});
  ASSERT_TRUE(results.at(0));
  EXPECT_EQ(blobs->get(blob_fs::sha256_hex(content)).value(), content);
  auto alice = login("alice@example.org");
  EXPECT_EQ(store.read_message(alice, mailbox(alice, "INBOX").ref, results[0]->uid).value(), content);
}

TEST_F(DeliveryTest, ConcurrentDeliveriesToOneAccountAllLandWithDistinctUids) {
  constexpr int kThreads = 8, kEach = 40;
  std::vector<std::vector<Result<Appended>>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::string content = fmt::format("Subject: {}-{}\r\n\r\nbody {} {}\r\n", t, i, t, i);
        results[t].push_back(std::move(deliver({target("alice@example.org")}, content).at(0)));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::uint32_t> uids;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      ASSERT_TRUE(results[t][i]) << results[t][i].error().detail;
      uids.insert(results[t][i]->uid);
      EXPECT_EQ(read_inbox("alice@example.org", results[t][i]->uid),
                fmt::format("Subject: {}-{}\r\n\r\nbody {} {}\r\n", t, i, t, i));
    }
  }
  EXPECT_EQ(uids.size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(*uids.rbegin(), static_cast<std::uint32_t>(kThreads * kEach));
  EXPECT_EQ(mailbox(login("alice@example.org"), "INBOX").messages, static_cast<std::uint32_t>(kThreads * kEach));
}

TEST_F(DeliveryTest, QuotaIsCheckedPerDeliveryAndReportedForRcpt) {
  auto carol = directory_->create_account({"carol@example.org", "pw", "", 100});
  ASSERT_TRUE(carol);
  auto to_carol = target("carol@example.org");
  // No mail.db yet: nothing used.
  auto before = mail_->delivery_usage(to_carol).value();
  EXPECT_EQ(before.used_bytes, 0u);
  EXPECT_EQ(before.limit_bytes, 100u);
  const std::string sixty(60, 'x');
  ASSERT_TRUE(deliver({to_carol}, sixty).at(0));
  auto full = deliver({to_carol}, std::string(60, 'y')).at(0);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, Errc::quota_exceeded);
  EXPECT_TRUE(deliver({to_carol}, std::string(40, 'z')).at(0));  // exactly fills it
  auto after = mail_->delivery_usage(to_carol).value();
  EXPECT_EQ(after.used_bytes, 100u);
  // One target over quota does not fail the other of the same message.
  auto mixed = deliver({to_carol, target("alice@example.org")}, "Subject: m\r\n\r\nm\r\n");
  EXPECT_EQ(mixed.at(0).error().code, Errc::quota_exceeded);
  EXPECT_TRUE(mixed.at(1));
}

// The quota's usage is a per-mailbox total kept by triggers (mailbox.bytes), not a sum over every message:
// it must follow appends, deliveries, copies, moves, expunges and mailbox deletion.
TEST_F(DeliveryTest, UsageFollowsEveryChange) {
  auto alice = login("alice@example.org");
  auto used = [&] { return mail_->usage(alice).value().used_bytes; };
  ASSERT_EQ(used(), 0u);
  const std::string a = "Subject: a\r\n\r\naaaa\r\n", b = "Subject: b\r\n\r\nbbbbbbbbbb\r\n";
  const std::string c(5000, 'c');
  ASSERT_TRUE(deliver({target("alice@example.org")}, a).at(0));
  ASSERT_TRUE(deliver({target("alice@example.org"), target("bob@example.org")}, b).at(0));  // a shared blob
  put(alice, "INBOX", c);
  EXPECT_EQ(used(), a.size() + b.size() + c.size());
  EXPECT_EQ(mail_->delivery_usage(target("alice@example.org")).value().used_bytes, used());
  auto inbox = mailbox(alice, "INBOX").ref;
  auto folder = mail_->create_mailbox(alice, alice.account_id(), "Folder", SpecialUse::none).value().ref;
  std::vector<std::uint32_t> first{1}, second{2}, third{3};
  ASSERT_TRUE(mail_->copy(alice, inbox, first, folder));
  EXPECT_EQ(used(), 2 * a.size() + b.size() + c.size());
  ASSERT_TRUE(mail_->move(alice, inbox, third, folder));
  EXPECT_EQ(used(), 2 * a.size() + b.size() + c.size()) << "a move changes no total";
  ASSERT_TRUE(mail_->update_flags(alice, inbox, second, FlagOp::add, {"\\Deleted"}, std::nullopt, nullptr));
  ASSERT_EQ(mail_->expunge(alice, inbox, std::nullopt).value().size(), 1u);
  EXPECT_EQ(used(), 2 * a.size() + c.size());
  ASSERT_TRUE(mail_->delete_mailbox(alice, folder));
  EXPECT_EQ(used(), a.size());
  EXPECT_EQ(mail_->usage(login("bob@example.org")).value().used_bytes, b.size()) << "bob's copy is his own";
}

// A mail.db made before mailbox.bytes existed gets the column, filled from its messages, when it is opened.
TEST_F(DeliveryTest, UsageCounterIsAddedToAnOlderDatabase) {
  auto alice = login("alice@example.org");
  const std::string a(300, 'a'), b(700, 'b');
  ASSERT_TRUE(deliver({target("alice@example.org")}, a).at(0));
  ASSERT_TRUE(deliver({target("alice@example.org")}, b).at(0));
  mail_.reset();
  {
    auto path = dir_.path() / "accounts" / std::to_string(alice.account_id()) / "mail.db";
    auto db = sqlite::Database::open(path).value();
    ASSERT_TRUE(db.exec("DROP TRIGGER message_bytes_insert; DROP TRIGGER message_bytes_delete; "
                        "DROP TRIGGER message_bytes_update; ALTER TABLE mailbox DROP COLUMN bytes;"));
  }
  std::shared_ptr<BlobStore> blobs = blob_files();
  mail_ = std::make_unique<sqlite::SqliteMailStore>(dir_.path(), blobs);
  EXPECT_EQ(mail_->usage(alice).value().used_bytes, a.size() + b.size());
  ASSERT_TRUE(deliver({target("alice@example.org")}, "x").at(0));
  EXPECT_EQ(mail_->usage(alice).value().used_bytes, a.size() + b.size() + 1) << "and the triggers keep it";
}

TEST_F(DeliveryTest, CopyToAnotherAccountCarriesTheInlineBody) {
  auto alice = login("alice@example.org");
  auto bob = login("bob@example.org");
  const std::string content = "Subject: copy me\r\n\r\ninline\r\n";
  ASSERT_TRUE(deliver({target("alice@example.org")}, content).at(0));
  auto bob_inbox = mailbox(bob, "INBOX").ref;
  ASSERT_TRUE(mail_->set_rights(bob, bob_inbox, alice.account_id(),
                                Rights().with(Right::lookup).with(Right::read).with(Right::insert)));
  std::vector<std::uint32_t> uids{1};
  auto copied = mail_->copy(alice, mailbox(alice, "INBOX").ref, uids, bob_inbox).value();
  ASSERT_EQ(copied.uids.size(), 1u);
  EXPECT_EQ(mail_->read_message(bob, bob_inbox, copied.uids[0].second).value(), content);
}

TEST_F(DeliveryTest, ReadingAnInlineBodyStillNeedsTheRight) {
  ASSERT_TRUE(deliver({target("alice@example.org")}, "Subject: private\r\n\r\nsecret\r\n").at(0));
  auto alice = login("alice@example.org");
  auto bob = login("bob@example.org");
  auto read = mail_->read_message(bob, mailbox(alice, "INBOX").ref, 1);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, Errc::not_found);  // existence does not leak either
}

// WAL checkpoints (wal_checkpointer.h): not inside a delivery's commit, done in the background, WAL bounded.
class WalCheckpointTest : public DeliveryTest {
 protected:
  static constexpr int kMessages = 60;
  static constexpr std::uint32_t kNever = 1u << 24;
  std::unique_ptr<sqlite::SqliteMailStore> store(sqlite::WalLimits limits) {
    std::shared_ptr<BlobStore> blobs = blob_files();
    return std::make_unique<sqlite::SqliteMailStore>(dir_.path(), blobs, sqlite::SqliteMailStore::kDefaultInlineBodyMax,
                                                     limits);
  }
  std::filesystem::path alice_db() {
    return dir_.path() / "accounts" / std::to_string(login("alice@example.org").account_id()) / "mail.db";
  }
  static std::uintmax_t size_of(const std::filesystem::path& path) {
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    return ec ? 0 : size;
  }
  static std::string message(int i) { return fmt::format("Subject: {}\r\n\r\n{}\r\n", i, std::string(64 << 10, 'a' + i % 26)); }
  void deliver_to_alice(sqlite::SqliteMailStore& mail, int i) {
    std::vector<DeliveryTarget> targets{target("alice@example.org")};
    auto results = mail.deliver_message(targets, message(i), NewMessage{});
    ASSERT_TRUE(results.at(0)) << results[0].error().detail;
  }
};

TEST_F(WalCheckpointTest, NoCheckpointInsideTheCommit) {
  auto mail = store({kNever, 0});
  for (int i = 0; i < kMessages; ++i) deliver_to_alice(*mail, i);
  // Everything is still in the WAL (SQLite's automatic checkpoint would have copied it at 1000 pages).
  EXPECT_GT(size_of(alice_db().string() + "-wal"), std::uintmax_t{kMessages} * (64 << 10));
  EXPECT_LT(size_of(alice_db()), std::uintmax_t{1} << 20);
  auto alice = login("alice@example.org");
  EXPECT_EQ(mail->read_message(alice, mailbox(alice, "INBOX").ref, kMessages).value(), message(kMessages - 1));
}

TEST_F(WalCheckpointTest, BackgroundThreadCopiesTheWalIntoTheDatabase) {
  auto mail = store({32, 0});
  for (int i = 0; i < kMessages; ++i) deliver_to_alice(*mail, i);
  // The checkpointer runs on its own thread: wait for it (generously; this is not a timing assertion).
  // The last commits may stay in the WAL: below 32 pages (two messages) it is not handed to the thread.
  constexpr std::uintmax_t kCopied = std::uintmax_t{kMessages - 3} * (64 << 10);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (size_of(alice_db()) < kCopied && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(size_of(alice_db()), kCopied);
  auto alice = login("alice@example.org");
  EXPECT_EQ(mail->read_message(alice, mailbox(alice, "INBOX").ref, 1).value(), message(0));
}

TEST_F(WalCheckpointTest, WalStaysBelowTheMaximumWithoutTheBackgroundThread) {
  constexpr std::uint32_t kMax = 200;
  auto mail = store({kNever, kMax});
  // One 64 KiB delivery adds about 20 pages of 4 KiB (+24 octets of frame header each).
  constexpr std::uintmax_t kBound = (kMax + 64) * (4096 + 24) + 32;
  std::uintmax_t largest = 0;
  for (int i = 0; i < kMessages; ++i) {
    deliver_to_alice(*mail, i);
    largest = std::max(largest, size_of(alice_db().string() + "-wal"));
  }
  EXPECT_LE(largest, kBound);
  EXPECT_GT(largest, std::uintmax_t{kMax} * 4096 / 2);  // it did grow, then restart
  auto alice = login("alice@example.org");
  for (int uid : {1, kMessages / 2, kMessages}) {
    EXPECT_EQ(mail->read_message(alice, mailbox(alice, "INBOX").ref, uid).value(), message(uid - 1));
  }
}

}  // namespace
}  // namespace bulwark::store

// MailStore::deliver_message on SQLite (ADR 0003): small single-account messages kept in the account's database,
// multi-account and large ones in one blob, group commit of concurrent deliveries, quota inside a batch, and
// delivery_usage for RCPT.
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

}  // namespace
}  // namespace bulwark::store

// The store calls IMAP sessions use to keep their view of a selected mailbox current: mailbox_state() and
// changes_since() (RFC 7162 CONDSTORE/QRESYNC, NOOP/IDLE polling), with the same rights checks as the rest.
#include "store_fixture.h"

namespace bulwark::store {
namespace {

class MailStoreImapTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    alice_ = std::make_unique<Principal>(login("alice@example.org"));
    bob_ = std::make_unique<Principal>(login("bob@example.org"));
  }
  std::unique_ptr<Principal> alice_;
  std::unique_ptr<Principal> bob_;
};

TEST_F(MailStoreImapTest, StateFollowsAppendsFlagsAndExpunges) {
  auto inbox = mailbox(*alice_, "INBOX");
  auto empty = mail_->mailbox_state(*alice_, inbox.ref).value();
  EXPECT_EQ(empty.messages, 0u);
  EXPECT_EQ(empty.uid_next, 1u);
  EXPECT_EQ(empty.uid_validity, inbox.uid_validity);
  put(*alice_, "INBOX", "a");
  auto second = put(*alice_, "INBOX", "b");
  auto state = mail_->mailbox_state(*alice_, inbox.ref).value();
  EXPECT_EQ(state.messages, 2u);
  EXPECT_EQ(state.uid_next, 3u);
  EXPECT_EQ(state.highest_modseq, second.modseq);
  std::vector<std::uint32_t> one{1};
  ASSERT_TRUE(mail_->update_flags(*alice_, inbox.ref, one, FlagOp::add, {"\\Deleted"}, {}, nullptr));
  ASSERT_TRUE(mail_->expunge(*alice_, inbox.ref, std::nullopt));
  auto after = mail_->mailbox_state(*alice_, inbox.ref).value();
  EXPECT_EQ(after.messages, 1u);
  EXPECT_EQ(after.uid_next, 3u);  // UIDs are never reused
  EXPECT_GT(after.highest_modseq, state.highest_modseq + 1);
}

TEST_F(MailStoreImapTest, ChangesSinceReportsNewChangedAndExpunged) {
  auto ref = mailbox(*alice_, "INBOX").ref;
  put(*alice_, "INBOX", "a");
  put(*alice_, "INBOX", "b", {"\\Flagged"});
  auto all = mail_->changes_since(*alice_, ref, 0).value();
  ASSERT_EQ(all.changed.size(), 2u);
  EXPECT_EQ(all.changed[0].uid, 1u);
  EXPECT_EQ(all.changed[1].flags, (std::vector<std::string>{"\\Flagged"}));
  EXPECT_TRUE(all.expunged.empty());
  const auto mark = all.state.highest_modseq;
  EXPECT_TRUE(mail_->changes_since(*alice_, ref, mark)->changed.empty());

  std::vector<std::uint32_t> first{1};
  ASSERT_TRUE(mail_->update_flags(*alice_, ref, first, FlagOp::add, {"\\Seen"}, {}, nullptr));
  put(*alice_, "INBOX", "c");
  std::vector<std::uint32_t> second{2};
  ASSERT_TRUE(mail_->update_flags(*alice_, ref, second, FlagOp::add, {"\\Deleted"}, {}, nullptr));
  ASSERT_TRUE(mail_->expunge(*alice_, ref, std::nullopt));
  auto changes = mail_->changes_since(*alice_, ref, mark).value();
  ASSERT_EQ(changes.changed.size(), 2u);
  EXPECT_EQ(changes.changed[0].uid, 1u);
  EXPECT_EQ(changes.changed[0].flags, (std::vector<std::string>{"\\Seen"}));
  EXPECT_EQ(changes.changed[1].uid, 3u);
  EXPECT_EQ(changes.expunged, (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(changes.state.messages, 2u);
  EXPECT_TRUE(mail_->changes_since(*alice_, ref, changes.state.highest_modseq)->changed.empty());
}

TEST_F(MailStoreImapTest, MoveRecordsExpungedInTheSource) {
  auto inbox = mailbox(*alice_, "INBOX").ref;
  auto archive = mailbox(*alice_, "Archive").ref;
  put(*alice_, "INBOX", "a");
  auto mark = mail_->mailbox_state(*alice_, inbox).value().highest_modseq;
  std::vector<std::uint32_t> uids{1};
  ASSERT_TRUE(mail_->move(*alice_, inbox, uids, archive));
  auto changes = mail_->changes_since(*alice_, inbox, mark).value();
  EXPECT_EQ(changes.expunged, (std::vector<std::uint32_t>{1}));
  EXPECT_EQ(changes.state.messages, 0u);
  EXPECT_EQ(mail_->changes_since(*alice_, archive, 0)->changed.size(), 1u);
}

TEST_F(MailStoreImapTest, OthersNeedTheReadRight) {
  auto ref = mailbox(*alice_, "INBOX").ref;
  put(*alice_, "INBOX", "a");
  EXPECT_EQ(mail_->mailbox_state(*bob_, ref).error().code, Errc::not_found);
  EXPECT_EQ(mail_->changes_since(*bob_, ref, 0).error().code, Errc::not_found);
  ASSERT_TRUE(mail_->set_rights(*alice_, ref, bob_->account_id(), Rights().with(Right::lookup)));
  EXPECT_EQ(mail_->mailbox_state(*bob_, ref).error().code, Errc::permission_denied);
  ASSERT_TRUE(mail_->set_rights(*alice_, ref, bob_->account_id(), Rights().with(Right::lookup).with(Right::read)));
  EXPECT_EQ(mail_->mailbox_state(*bob_, ref)->messages, 1u);
  EXPECT_EQ(mail_->changes_since(*bob_, ref, 0)->changed.size(), 1u);
}

TEST_F(MailStoreImapTest, OpenMailboxReadsTheMailboxAndEveryMessageTogether) {
  put(*alice_, "INBOX", "a");
  put(*alice_, "INBOX", "b", {"\\Seen"});
  put(*alice_, "INBOX", "c");
  auto opened = mail_->open_mailbox(*alice_, alice_->account_id(), "inbox", std::nullopt).value();
  EXPECT_EQ(opened.info.ref, mailbox(*alice_, "INBOX").ref);
  EXPECT_EQ(opened.info.name, "INBOX");
  EXPECT_EQ(opened.info.messages, 3u);
  ASSERT_EQ(opened.changes.changed.size(), 3u);
  EXPECT_EQ(opened.changes.changed[1].uid, 2u);
  EXPECT_EQ(opened.changes.changed[1].flags, std::vector<std::string>{"\\Seen"});
  EXPECT_EQ(opened.changes.state.uid_next, 4u);
  EXPECT_TRUE(opened.changes.expunged.empty());
  EXPECT_EQ(mail_->open_mailbox(*alice_, alice_->account_id(), "Nope", std::nullopt).error().code, Errc::not_found);
  // Bob has no rights on alice's INBOX: it does not exist for him.
  EXPECT_FALSE(mail_->open_mailbox(*bob_, alice_->account_id(), "INBOX", std::nullopt));
  EXPECT_FALSE(opened.incremental);

  // Known mailbox: only what changed after the given modseq, expunges included.
  const auto since = opened.changes.state.highest_modseq;
  std::vector<std::uint32_t> first{1};
  ASSERT_TRUE(mail_->update_flags(*alice_, opened.info.ref, first, FlagOp::add, {"\\Deleted"}, {}, nullptr));
  ASSERT_TRUE(mail_->expunge(*alice_, opened.info.ref, std::nullopt));
  put(*alice_, "INBOX", "d");
  const MailStore::KnownMailbox known{opened.info.ref.id, since};
  auto again = mail_->open_mailbox(*alice_, alice_->account_id(), "INBOX", known).value();
  EXPECT_TRUE(again.incremental);
  EXPECT_EQ(again.changes.expunged, std::vector<std::uint32_t>{1});
  ASSERT_EQ(again.changes.changed.size(), 1u);
  EXPECT_EQ(again.changes.changed[0].uid, 4u);
  EXPECT_EQ(again.changes.state.messages, 3u);
  // Another mailbox id under that name (renamed and recreated): every message again.
  const MailStore::KnownMailbox other{opened.info.ref.id + 100, since};
  auto fresh = mail_->open_mailbox(*alice_, alice_->account_id(), "INBOX", other).value();
  EXPECT_FALSE(fresh.incremental);
  EXPECT_EQ(fresh.changes.changed.size(), 3u);
}

TEST_F(MailStoreImapTest, ReadMessagePrefixesReturnTheFirstBytesFromAFileOrTheDatabase) {
  const std::string content = "Subject: prefix\r\nX-A: b\r\n\r\nthe body\r\n";
  put(*alice_, "INBOX", content);  // a blob file
  auto ref = mailbox(*alice_, "INBOX").ref;
  ASSERT_TRUE(mail_->append_message(*alice_, ref, content + "2", NewMessage{}));  // inside the database
  const std::vector<MailStore::PrefixRequest> wanted{{1, 27}, {2, 27}, {9, 10}, {1, 0}, {2, 1 << 20}};
  auto read = mail_->read_message_prefixes(*alice_, ref, wanted).value();
  ASSERT_EQ(read.size(), wanted.size());
  EXPECT_EQ(read[0], content.substr(0, 27));
  EXPECT_EQ(read[1], content.substr(0, 27));
  EXPECT_EQ(read[2], std::nullopt);  // no such message
  EXPECT_EQ(read[3], "");
  EXPECT_EQ(read[4], *mail_->read_message(*alice_, ref, 2));
  EXPECT_FALSE(mail_->read_message_prefixes(*bob_, ref, wanted));
}

TEST_F(MailStoreImapTest, UidExpungeRemovesOnlyNamedMessagesMarkedDeleted) {
  for (const char* body : {"a", "b", "c", "d", "e"}) put(*alice_, "INBOX", body);
  auto ref = mailbox(*alice_, "INBOX").ref;
  std::vector<std::uint32_t> deleted{1, 2, 3, 5};
  ASSERT_TRUE(mail_->update_flags(*alice_, ref, deleted, FlagOp::add, {"\\Deleted"}, {}, nullptr));
  // A few UIDs: looked up one by one (4 is not \Deleted, 7 does not exist).
  EXPECT_EQ(mail_->expunge(*alice_, ref, std::vector<std::uint32_t>{3, 2, 4, 7, 2}).value(),
            (std::vector<std::uint32_t>{2, 3}));
  // Many UIDs: through the index scan; only 5 of them is \Deleted and present.
  std::vector<std::uint32_t> many;
  for (std::uint32_t uid = 4; uid < 1000; ++uid) many.push_back(uid);
  EXPECT_EQ(mail_->expunge(*alice_, ref, many).value(), std::vector<std::uint32_t>{5});
  auto left = mail_->changes_since(*alice_, ref, 0).value();
  ASSERT_EQ(left.changed.size(), 2u);
  EXPECT_EQ(left.changed[0].uid, 1u);
  EXPECT_EQ(left.changed[1].uid, 4u);
  EXPECT_EQ(left.expunged, (std::vector<std::uint32_t>{2, 3, 5}));
}

TEST_F(MailStoreImapTest, LookupMailboxIsFindMailboxWithoutTheCounts) {
  put(*alice_, "INBOX", "a");
  auto found = mailbox(*alice_, "INBOX");
  auto looked = mail_->lookup_mailbox(*alice_, alice_->account_id(), "inbox").value();
  EXPECT_EQ(looked.ref, found.ref);
  EXPECT_EQ(looked.uid_validity, found.uid_validity);
  EXPECT_EQ(looked.uid_next, found.uid_next);
  EXPECT_TRUE(looked.rights.has(Right::insert));
  EXPECT_EQ(found.messages, 1u);
  EXPECT_EQ(looked.messages, 0u);  // not counted
  EXPECT_EQ(mail_->lookup_mailbox(*alice_, alice_->account_id(), "Nope").error().code, Errc::not_found);
  EXPECT_EQ(mail_->lookup_mailbox(*bob_, alice_->account_id(), "INBOX").error().code,
            mail_->find_mailbox(*bob_, alice_->account_id(), "INBOX").error().code);
}

}  // namespace
}  // namespace bulwark::store

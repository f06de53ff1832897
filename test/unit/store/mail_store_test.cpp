#include "store_fixture.h"

namespace bulwark::store {
namespace {

class MailStoreTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    alice_ = std::make_unique<Principal>(login("alice@example.org"));
  }
  std::unique_ptr<Principal> alice_;
};

TEST_F(MailStoreTest, NewAccountHasSpecialUseMailboxes) {
  auto boxes = mail_->list_mailboxes(*alice_, alice_->account_id()).value();
  std::map<std::string, SpecialUse> roles;
  for (const auto& b : boxes) roles[b.name] = b.role;
  EXPECT_EQ(roles.size(), 6u);
  EXPECT_EQ(roles["INBOX"], SpecialUse::none);
  EXPECT_EQ(roles["Drafts"], SpecialUse::drafts);
  EXPECT_EQ(roles["Sent"], SpecialUse::sent);
  EXPECT_EQ(roles["Trash"], SpecialUse::trash);
  EXPECT_EQ(roles["Junk"], SpecialUse::junk);
  EXPECT_EQ(roles["Archive"], SpecialUse::archive);
  EXPECT_TRUE(mail_->provision(*alice_));  // idempotent
  EXPECT_EQ(mail_->list_mailboxes(*alice_, alice_->account_id())->size(), 6u);
}

TEST_F(MailStoreTest, UidsModseqAndUidValidity) {
  auto first = put(*alice_, "INBOX", "a");
  auto second = put(*alice_, "INBOX", "b");
  EXPECT_EQ(first.uid, 1u);
  EXPECT_EQ(second.uid, 2u);
  EXPECT_GT(second.modseq, first.modseq);
  EXPECT_EQ(first.uid_validity, second.uid_validity);
  auto info = mailbox(*alice_, "INBOX");
  EXPECT_EQ(info.uid_next, 3u);
  EXPECT_EQ(info.messages, 2u);
  EXPECT_EQ(info.unseen, 2u);
  EXPECT_EQ(info.highest_modseq, second.modseq);
  // Re-created mailboxes never reuse a UIDVALIDITY.
  auto created = mail_->create_mailbox(*alice_, alice_->account_id(), "Projects", SpecialUse::none).value();
  ASSERT_TRUE(mail_->delete_mailbox(*alice_, created.ref));
  auto again = mail_->create_mailbox(*alice_, alice_->account_id(), "Projects", SpecialUse::none).value();
  EXPECT_GT(again.uid_validity, created.uid_validity);
}

TEST_F(MailStoreTest, FlagsExpungeAndUnchangedSince) {
  put(*alice_, "INBOX", "a");
  put(*alice_, "INBOX", "b");
  auto ref = mailbox(*alice_, "INBOX").ref;
  std::vector<std::uint32_t> uids{1, 2};
  auto changes = mail_->update_flags(*alice_, ref, uids, FlagOp::add, {"\\seen", "$Label1"}, {}, nullptr).value();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].flags, (std::vector<std::string>{"\\Seen", "$Label1"}));
  EXPECT_EQ(mailbox(*alice_, "INBOX").unseen, 0u);
  std::vector<std::uint32_t> failed;
  std::vector<std::uint32_t> one{1};
  auto stale = mail_->update_flags(*alice_, ref, one, FlagOp::add, {"\\Deleted"}, 1, &failed).value();
  EXPECT_TRUE(stale.empty());
  EXPECT_EQ(failed, std::vector<std::uint32_t>{1});
  ASSERT_TRUE(mail_->update_flags(*alice_, ref, one, FlagOp::add, {"\\Deleted"}, {}, nullptr));
  EXPECT_FALSE(mail_->update_flags(*alice_, ref, one, FlagOp::add, {"\\Bogus"}, {}, nullptr));
  EXPECT_EQ(mail_->expunge(*alice_, ref, std::nullopt).value(), std::vector<std::uint32_t>{1});
  auto left = mail_->list_messages(*alice_, ref, 1, UINT32_MAX).value();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].uid, 2u);
}

TEST_F(MailStoreTest, CopyAndMoveKeepContentAndAssignNewUids) {
  put(*alice_, "INBOX", "hello", {"\\Flagged"});
  auto inbox = mailbox(*alice_, "INBOX").ref;
  auto archive = mailbox(*alice_, "Archive").ref;
  std::vector<std::uint32_t> uids{1};
  auto copied = mail_->copy(*alice_, inbox, uids, archive).value();
  ASSERT_EQ(copied.uids.size(), 1u);
  EXPECT_EQ(copied.uids[0], (std::pair<std::uint32_t, std::uint32_t>{1, 1}));
  EXPECT_EQ(mail_->read_message(*alice_, archive, 1).value(), "hello");
  auto moved = mail_->move(*alice_, inbox, uids, mailbox(*alice_, "Trash").ref).value();
  EXPECT_EQ(moved.uids.size(), 1u);
  EXPECT_EQ(mailbox(*alice_, "INBOX").messages, 0u);
  EXPECT_EQ(mailbox(*alice_, "Trash").messages, 1u);
}

TEST_F(MailStoreTest, RenameMovesChildrenAndInboxRenameEmptiesInbox) {
  ASSERT_TRUE(mail_->create_mailbox(*alice_, alice_->account_id(), "Work", SpecialUse::none));
  ASSERT_TRUE(mail_->create_mailbox(*alice_, alice_->account_id(), "Work/2026", SpecialUse::none));
  ASSERT_TRUE(mail_->rename_mailbox(*alice_, mailbox(*alice_, "Work").ref, "Job"));
  EXPECT_TRUE(mail_->find_mailbox(*alice_, alice_->account_id(), "Job/2026"));
  EXPECT_FALSE(mail_->find_mailbox(*alice_, alice_->account_id(), "Work/2026"));
  put(*alice_, "INBOX", "m");
  ASSERT_TRUE(mail_->rename_mailbox(*alice_, mailbox(*alice_, "INBOX").ref, "Old"));
  EXPECT_EQ(mailbox(*alice_, "Old").messages, 1u);
  EXPECT_EQ(mailbox(*alice_, "INBOX").messages, 0u);
  EXPECT_EQ(mail_->delete_mailbox(*alice_, mailbox(*alice_, "INBOX").ref).error().code, Errc::invalid_argument);
  EXPECT_EQ(mail_->create_mailbox(*alice_, alice_->account_id(), "inbox", SpecialUse::none).error().code,
            Errc::already_exists);
}

TEST_F(MailStoreTest, QuotaIsEnforcedOnDelivery) {
  ASSERT_TRUE(directory_->create_account({"carol@example.org", "pw", "", 100}));
  auto carol = target("carol@example.org");
  auto small = mail_->store_blob(std::string(60, 'x')).value();
  ASSERT_TRUE(mail_->deliver(carol, small, {}));
  EXPECT_EQ(mail_->deliver(carol, small, {}).error().code, Errc::quota_exceeded);
}

TEST_F(MailStoreTest, MultiRecipientDeliveryStoresTheBlobOnce) {
  auto blob = mail_->store_blob("Subject: all\r\n\r\nhi\r\n").value();
  ASSERT_TRUE(mail_->deliver(target("alice@example.org"), blob, {}));
  ASSERT_TRUE(mail_->deliver(target("bob@example.org"), blob, {}));
  std::size_t files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir_.path() / "blobs")) {
    if (e.is_regular_file()) ++files;
  }
  EXPECT_EQ(files, 1u);
}

}  // namespace
}  // namespace bulwark::store

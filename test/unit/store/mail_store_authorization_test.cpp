// The promise: no principal reaches another account's mailboxes or messages through any store call without an
// explicit grant. Each MailStore call is tried by bob against alice's data.
#include "store_fixture.h"

namespace bulwark::store {
namespace {

class AuthorizationTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    alice_ = std::make_unique<Principal>(login("alice@example.org"));
    bob_ = std::make_unique<Principal>(login("bob@example.org"));
    put(*alice_, "INBOX", "Subject: secret\r\n\r\nalice's secret\r\n", {"\\Deleted"});
    inbox_ = mailbox(*alice_, "INBOX").ref;
    bob_inbox_ = mailbox(*bob_, "INBOX").ref;
  }
  static bool refused(const Error& e) { return e.code == Errc::not_found || e.code == Errc::permission_denied; }

  std::unique_ptr<Principal> alice_, bob_;
  MailboxRef inbox_, bob_inbox_;
};

TEST_F(AuthorizationTest, OwnerCanDoEverything) {
  EXPECT_EQ(mail_->list_mailboxes(*alice_, alice_->account_id())->size(), 6u);
  EXPECT_TRUE(mail_->read_message(*alice_, inbox_, 1));
  EXPECT_TRUE(mail_->list_messages(*alice_, inbox_, 1, UINT32_MAX));
}

TEST_F(AuthorizationTest, NoCallReachesAnotherAccountWithoutAGrant) {
  const auto owner = alice_->account_id();
  EXPECT_TRUE(mail_->list_mailboxes(*bob_, owner)->empty());
  EXPECT_TRUE(refused(mail_->find_mailbox(*bob_, owner, "INBOX").error()));
  EXPECT_TRUE(refused(mail_->create_mailbox(*bob_, owner, "Planted", SpecialUse::none).error()));
  EXPECT_TRUE(refused(mail_->delete_mailbox(*bob_, mailbox(*alice_, "Archive").ref).error()));
  EXPECT_TRUE(refused(mail_->rename_mailbox(*bob_, mailbox(*alice_, "Archive").ref, "Mine").error()));
  EXPECT_TRUE(refused(mail_->set_subscribed(*bob_, inbox_, false).error()));
  EXPECT_TRUE(refused(mail_->set_rights(*bob_, inbox_, bob_->account_id(), Rights::all()).error()));
  auto blob = mail_->store_blob("Subject: planted\r\n\r\nx\r\n").value();
  EXPECT_TRUE(refused(mail_->append(*bob_, inbox_, blob, {}).error()));
  EXPECT_TRUE(refused(mail_->list_messages(*bob_, inbox_, 1, UINT32_MAX).error()));
  EXPECT_TRUE(refused(mail_->read_message(*bob_, inbox_, 1).error()));
  std::uint32_t uid = 1;
  EXPECT_TRUE(refused(mail_->update_flags(*bob_, inbox_, {&uid, 1}, FlagOp::add, {"\\Seen"}, {}, nullptr).error()));
  EXPECT_TRUE(refused(mail_->expunge(*bob_, inbox_, std::nullopt).error()));
  EXPECT_TRUE(refused(mail_->copy(*bob_, inbox_, {&uid, 1}, bob_inbox_).error()));
  EXPECT_TRUE(refused(mail_->move(*bob_, inbox_, {&uid, 1}, bob_inbox_).error()));
  EXPECT_TRUE(refused(mail_->copy(*bob_, bob_inbox_, {&uid, 1}, inbox_).error()));
  // A forged reference with alice's mailbox id but bob as owner reaches only bob's own data.
  MailboxRef forged{bob_->account_id(), inbox_.id};
  auto bobs = mail_->list_messages(*bob_, forged, 1, UINT32_MAX);
  if (bobs) {
    EXPECT_TRUE(bobs->empty());
  }
  // Nothing changed for alice.
  auto info = mail_->find_mailbox(*alice_, owner, "INBOX").value();
  EXPECT_EQ(info.messages, 1u);
  EXPECT_TRUE(info.subscribed);
  EXPECT_FALSE(mail_->find_mailbox(*alice_, owner, "Planted"));
  EXPECT_EQ(mail_->list_messages(*alice_, inbox_, 1, UINT32_MAX)->at(0).flags, std::vector<std::string>{"\\Deleted"});
}

TEST_F(AuthorizationTest, UnknownAccountLooksEmpty) {
  EXPECT_TRUE(mail_->list_mailboxes(*bob_, 9999)->empty());
  EXPECT_TRUE(refused(mail_->find_mailbox(*bob_, 9999, "INBOX").error()));
}

TEST_F(AuthorizationTest, AGrantAllowsExactlyWhatItSays) {
  ASSERT_TRUE(mail_->set_rights(*alice_, inbox_, bob_->account_id(), Rights().with(Right::lookup).with(Right::read)));
  auto listed = mail_->list_mailboxes(*bob_, alice_->account_id()).value();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].name, "INBOX");
  EXPECT_EQ(listed[0].rights.to_letters(), "lr");
  EXPECT_EQ(mail_->read_message(*bob_, inbox_, 1).value(), "Subject: secret\r\n\r\nalice's secret\r\n");
  std::uint32_t uid = 1;
  EXPECT_EQ(mail_->update_flags(*bob_, inbox_, {&uid, 1}, FlagOp::add, {"\\Seen"}, {}, nullptr).error().code,
            Errc::permission_denied);
  EXPECT_EQ(mail_->expunge(*bob_, inbox_, std::nullopt).error().code, Errc::permission_denied);
  auto blob = mail_->store_blob("x").value();
  EXPECT_EQ(mail_->append(*bob_, inbox_, blob, {}).error().code, Errc::permission_denied);
  EXPECT_EQ(mail_->move(*bob_, inbox_, {&uid, 1}, bob_inbox_).error().code, Errc::permission_denied);
  auto copied = mail_->copy(*bob_, inbox_, {&uid, 1}, bob_inbox_);
  ASSERT_TRUE(copied);
  EXPECT_EQ(copied->uids.size(), 1u);
  // The grant covers INBOX only.
  EXPECT_TRUE(refused(mail_->find_mailbox(*bob_, alice_->account_id(), "Sent").error()));
  // Revoking takes effect at once.
  ASSERT_TRUE(mail_->set_rights(*alice_, inbox_, bob_->account_id(), Rights()));
  EXPECT_TRUE(refused(mail_->read_message(*bob_, inbox_, 1).error()));
}

TEST_F(AuthorizationTest, DeliveryTargetOnlyAddsToInbox) {
  auto blob = mail_->store_blob("Subject: hi\r\n\r\nhello\r\n").value();
  auto delivered = mail_->deliver(target("alice@example.org"), blob, {});
  ASSERT_TRUE(delivered);
  EXPECT_EQ(delivered->uid, 2u);
  EXPECT_EQ(mail_->find_mailbox(*alice_, alice_->account_id(), "INBOX")->messages, 2u);
}

}  // namespace
}  // namespace bulwark::store

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_directory.h"
#include "temp_dir.h"

namespace bulwark::store {
namespace {

class DirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DirectoryPolicy policy;
    policy.hash_cost = {64 * 1024, 1};
    directory_ = std::move(sqlite::SqliteDirectory::open(dir_.path(), policy).value());
    ASSERT_TRUE(directory_->add_domain("example.org"));
    ASSERT_TRUE(directory_->add_domain("Strict.Example", true));
  }
  AccountId add(const std::string& address, const std::string& password = "pw") {
    auto principal = directory_->create_account({address, password, "", 0});
    EXPECT_TRUE(principal) << address << ": " << (principal ? "" : principal.error().detail);
    return principal ? principal->account_id() : 0;
  }
  std::vector<AccountId> local_ids(const std::string& address) {
    auto resolution = directory_->resolve(address);
    std::vector<AccountId> out;
    if (resolution) {
      for (const auto& t : resolution->local) out.push_back(t.account_id());
    }
    return out;
  }
  testing::TempDir dir_;
  std::unique_ptr<sqlite::SqliteDirectory> directory_;
};

TEST_F(DirectoryTest, DomainsAreNormalizedAndUnique) {
  EXPECT_EQ(directory_->add_domain("EXAMPLE.org").error().code, Errc::already_exists);
  EXPECT_TRUE(directory_->add_domain("b\xC3\xBC" "cher.example"));
  EXPECT_TRUE(directory_->is_local_domain("xn--bcher-kva.example").value());
  EXPECT_TRUE(directory_->is_local_domain("B\xC3\xBC" "cher.example").value());
  EXPECT_EQ(directory_->add_domain("bad_domain").error().code, Errc::invalid_argument);
  EXPECT_EQ(directory_->remove_domain("nope.example").error().code, Errc::not_found);
}

TEST_F(DirectoryTest, DomainWithUsersCannotBeRemoved) {
  add("alice@example.org");
  EXPECT_EQ(directory_->remove_domain("example.org").error().code, Errc::invalid_argument);
  ASSERT_TRUE(directory_->remove_account("alice@example.org"));
  EXPECT_TRUE(directory_->remove_domain("example.org"));
}

TEST_F(DirectoryTest, DuplicateAndInvalidAccountsAreRefused) {
  add("alice@example.org");
  EXPECT_EQ(directory_->create_account({"ALICE@example.org", "pw", "", 0}).error().code, Errc::already_exists);
  EXPECT_EQ(directory_->create_account({"x@unknown.example", "pw", "", 0}).error().code, Errc::not_found);
  EXPECT_EQ(directory_->create_account({"not-an-address", "pw", "", 0}).error().code, Errc::invalid_argument);
  EXPECT_EQ(directory_->create_account({"a+b@example.org", "pw", "", 0}).error().code, Errc::invalid_argument);
}

TEST_F(DirectoryTest, AuthenticationChecksPasswordAndIsCaseInsensitivePerDomain) {
  auto alice = add("alice@example.org", "right");
  auto ok = directory_->authenticate("Alice@Example.ORG", "right");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->account_id(), alice);
  EXPECT_EQ(directory_->authenticate("alice@example.org", "wrong").error().code, Errc::permission_denied);
  EXPECT_EQ(directory_->authenticate("nobody@example.org", "right").error().code, Errc::permission_denied);
  EXPECT_EQ(directory_->authenticate("garbage", "right").error().code, Errc::permission_denied);
  ASSERT_TRUE(directory_->set_password("alice@example.org", "new"));
  EXPECT_FALSE(directory_->authenticate("alice@example.org", "right"));
  EXPECT_TRUE(directory_->authenticate("alice@example.org", "new"));
}

TEST_F(DirectoryTest, CaseSensitiveDomainKeepsCase) {
  auto upper = add("Bob@strict.example");
  auto lower = add("bob@strict.example");
  EXPECT_NE(upper, lower);
  EXPECT_EQ(local_ids("Bob@strict.example"), std::vector<AccountId>{upper});
  EXPECT_EQ(local_ids("bob@strict.example"), std::vector<AccountId>{lower});
  EXPECT_FALSE(directory_->resolve("BOB@strict.example"));
}

TEST_F(DirectoryTest, ResolutionOrder) {
  auto alice = add("alice@example.org");
  auto bob = add("bob@example.org");
  ASSERT_TRUE(directory_->add_alias("sales@example.org", {"alice@example.org", "bob@example.org"}));
  ASSERT_TRUE(directory_->add_alias("loop1@example.org", {"loop2@example.org"}));
  ASSERT_TRUE(directory_->add_alias("loop2@example.org", {"loop1@example.org", "alice@example.org"}));
  ASSERT_TRUE(directory_->add_alias("ext@example.org", {"someone@remote.example", "bob@example.org"}));

  EXPECT_EQ(local_ids("ALICE@example.org"), std::vector<AccountId>{alice});
  EXPECT_EQ(local_ids("alice+news@example.org"), std::vector<AccountId>{alice});
  EXPECT_EQ(local_ids("sales@example.org"), (std::vector<AccountId>{alice, bob}));
  EXPECT_EQ(local_ids("loop1@example.org"), std::vector<AccountId>{alice});
  auto ext = directory_->resolve("ext@example.org").value();
  EXPECT_EQ(ext.remote, std::vector<std::string>{"someone@remote.example"});
  EXPECT_EQ(ext.local.size(), 1u);
  EXPECT_EQ(directory_->resolve("nobody@example.org").error().code, Errc::not_found);
  auto remote = directory_->resolve("x@elsewhere.example").value();
  EXPECT_TRUE(remote.local.empty());
  EXPECT_EQ(remote.remote, std::vector<std::string>{"x@elsewhere.example"});

  ASSERT_TRUE(directory_->add_alias("@example.org", {"bob@example.org"}));
  EXPECT_EQ(local_ids("nobody@example.org"), std::vector<AccountId>{bob});
  EXPECT_EQ(local_ids("alice@example.org"), std::vector<AccountId>{alice});  // exact beats catch-all
}

TEST_F(DirectoryTest, AliasesCannotShadowAccounts) {
  add("alice@example.org");
  EXPECT_EQ(directory_->add_alias("Alice@example.org", {"bob@example.org"}).error().code, Errc::already_exists);
  EXPECT_EQ(directory_->add_alias("x@nowhere.example", {"bob@example.org"}).error().code, Errc::not_found);
  EXPECT_EQ(directory_->add_alias("x@example.org", {"not an address"}).error().code, Errc::invalid_argument);
  ASSERT_TRUE(directory_->add_alias("x@example.org", {"alice@example.org"}));
  EXPECT_EQ(directory_->create_account({"x@example.org", "pw", "", 0}).error().code, Errc::already_exists);
  EXPECT_EQ(directory_->remove_alias("y@example.org").error().code, Errc::not_found);
}

TEST_F(DirectoryTest, SenderAddressesAreOwnAddressAndAliasesLeadingToIt) {
  add("alice@example.org");
  add("bob@example.org");
  ASSERT_TRUE(directory_->add_alias("sales@example.org", {"alice@example.org"}));
  ASSERT_TRUE(directory_->add_alias("all@example.org", {"alice@example.org", "bob@example.org"}));
  ASSERT_TRUE(directory_->add_alias("@example.org", {"alice@example.org"}));
  auto alice = directory_->authenticate("alice@example.org", "pw").value();
  auto addresses = directory_->sender_addresses(alice).value();
  EXPECT_EQ(addresses, (std::vector<std::string>{"alice@example.org", "all@example.org", "sales@example.org"}));
  auto bob = directory_->authenticate("bob@example.org", "pw").value();
  EXPECT_EQ(directory_->sender_addresses(bob).value(), (std::vector<std::string>{"bob@example.org", "all@example.org"}));
}

TEST_F(DirectoryTest, SecondHandleSeesChangesAtOnce) {
  // The admin CLI and the server are two processes on one file; two handles stand in for them.
  DirectoryPolicy policy;
  policy.hash_cost = {64 * 1024, 1};
  auto other = sqlite::SqliteDirectory::open(dir_.path(), policy).value();
  EXPECT_FALSE(other->resolve("carol@example.org"));
  add("carol@example.org");
  EXPECT_TRUE(other->resolve("carol@example.org"));
  EXPECT_TRUE(other->authenticate("carol@example.org", "pw"));
}

// The RCPT cache (protocol/smtp/recipient_cache.h) is only as right as this stamp: it must move with every
// change, whether made through this store or by another connection (the admin CLI is another process).
TEST_F(DirectoryTest, ChangeStampMovesWithEveryChangeFromAnyConnection) {
  auto s0 = directory_->change_stamp();
  ASSERT_TRUE(s0.has_value());
  EXPECT_EQ(directory_->change_stamp(), s0) << "no change, same stamp";
  DirectoryPolicy policy;
  policy.hash_cost = {64 * 1024, 1};
  auto other = std::move(sqlite::SqliteDirectory::open(dir_.path(), policy).value());
  ASSERT_TRUE(other->create_account({"carol@example.org", "pw", "", 0}));
  auto s1 = directory_->change_stamp();
  ASSERT_TRUE(s1.has_value());
  EXPECT_NE(*s1, *s0) << "a change by another connection";
  ASSERT_TRUE(directory_->add_alias("team@example.org", {"carol@example.org"}));
  auto s2 = directory_->change_stamp();
  ASSERT_TRUE(s2.has_value());
  EXPECT_NE(*s2, *s1) << "a change through this store";
  ASSERT_TRUE(other->remove_alias("team@example.org"));
  EXPECT_NE(directory_->change_stamp(), s2);
  (void)directory_->resolve("carol@example.org");
  auto s3 = directory_->change_stamp();
  EXPECT_EQ(directory_->change_stamp(), s3) << "reads do not move it";
}

}  // namespace
}  // namespace bulwark::store

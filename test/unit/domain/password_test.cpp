#include "domain/auth/password.h"

#include <gtest/gtest.h>

namespace bulwark::domain::auth {
namespace {

const HashCost kCheap{64 * 1024, 1};

TEST(Password, HashIsArgon2idAndVerifies) {
  auto hash = hash_password("correct horse", kCheap);
  ASSERT_TRUE(hash);
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(verify_password(*hash, "correct horse"));
  EXPECT_FALSE(verify_password(*hash, "correct horsE"));
  EXPECT_FALSE(verify_password(*hash, ""));
  EXPECT_FALSE(verify_password("garbage", "correct horse"));
}

TEST(Password, SaltsDiffer) {
  EXPECT_NE(hash_password("same", kCheap).value(), hash_password("same", kCheap).value());
}

TEST(Password, RejectsBadPasswords) {
  EXPECT_FALSE(hash_password("", kCheap));
  EXPECT_FALSE(hash_password(std::string("a\0b", 3), kCheap));
  EXPECT_FALSE(hash_password("line\nbreak", kCheap));
  EXPECT_FALSE(hash_password(std::string(2000, 'x'), kCheap));
}

TEST(Password, DummyNeverSucceeds) { EXPECT_FALSE(verify_dummy("anything", kCheap)); }

}  // namespace
}  // namespace bulwark::domain::auth

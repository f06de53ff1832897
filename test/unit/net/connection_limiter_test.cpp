#include "net/connection_limiter.h"

#include <gtest/gtest.h>

namespace bulwark::net {
namespace {

TEST(ConnectionLimiter, PerIpAndTotal) {
  auto limiter = std::make_shared<ConnectionLimiter>(3, 2);
  ConnectionLimiter::Refusal why{};
  auto a1 = limiter->acquire("10.0.0.1", &why);
  auto a2 = limiter->acquire("10.0.0.1", &why);
  ASSERT_TRUE(a1 && a2);
  EXPECT_FALSE(limiter->acquire("10.0.0.1", &why));
  EXPECT_EQ(why, ConnectionLimiter::Refusal::per_ip);
  auto b1 = limiter->acquire("10.0.0.2", &why);
  ASSERT_TRUE(b1);
  EXPECT_FALSE(limiter->acquire("10.0.0.3", &why));
  EXPECT_EQ(why, ConnectionLimiter::Refusal::total);
  a1.reset();
  EXPECT_EQ(limiter->total(), 2u);
  EXPECT_TRUE(limiter->acquire("10.0.0.1", &why));
}

}  // namespace
}  // namespace bulwark::net

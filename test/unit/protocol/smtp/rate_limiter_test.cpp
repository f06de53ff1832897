#include "protocol/smtp/rate_limiter.h"

#include <gtest/gtest.h>

namespace bulwark::protocol::smtp {
namespace {

using namespace std::chrono_literals;

TEST(MessageRateLimiter, SlidingWindowPerIp) {
  MessageRateLimiter limiter;
  auto t0 = MessageRateLimiter::Clock::time_point{} + 1000s;
  EXPECT_TRUE(limiter.allow("192.0.2.1", 2, t0));
  EXPECT_TRUE(limiter.allow("192.0.2.1", 2, t0 + 1s));
  EXPECT_FALSE(limiter.allow("192.0.2.1", 2, t0 + 2s));
  EXPECT_TRUE(limiter.allow("192.0.2.2", 2, t0 + 2s));  // another address has its own budget
  EXPECT_TRUE(limiter.allow("192.0.2.1", 2, t0 + 60s));  // the first one left the window
  EXPECT_FALSE(limiter.allow("192.0.2.1", 2, t0 + 60s));
}

TEST(MessageRateLimiter, ZeroMeansUnlimited) {
  MessageRateLimiter limiter;
  auto t0 = MessageRateLimiter::Clock::time_point{};
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.allow("192.0.2.1", 0, t0));
}

}  // namespace
}  // namespace bulwark::protocol::smtp

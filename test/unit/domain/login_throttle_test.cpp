#include "domain/auth/login_throttle.h"

#include <gtest/gtest.h>

namespace bulwark::domain::auth {
namespace {

using namespace std::chrono_literals;

class LoginThrottleTest : public ::testing::Test {
 protected:
  LoginThrottleTest() {
    config_.max_failures_per_ip = 5;
    config_.max_failures_per_account = 3;
    config_.base_delay = 100ms;
    config_.max_delay = 1000ms;
    config_.ban_time = 60s;
    config_.failure_window = 600s;
  }
  LoginThrottle make() {
    return LoginThrottle(config_, [this] { return now_; });
  }
  AuthConfig config_;
  LoginThrottle::Clock::time_point now_{};
};

TEST_F(LoginThrottleTest, DelayDoublesPerFailureUpToTheCap) {
  auto throttle = make();
  EXPECT_EQ(throttle.before_attempt("1.2.3.4", "").delay, 0ms);
  std::chrono::milliseconds expected[] = {100ms, 200ms, 400ms, 800ms};
  for (auto want : expected) {
    throttle.record_failure("1.2.3.4", "");
    EXPECT_EQ(throttle.before_attempt("1.2.3.4", "").delay, want);
  }
  config_.max_failures_per_ip = 100;
  auto uncapped = make();
  for (int i = 0; i < 10; ++i) uncapped.record_failure("9.9.9.9", "");
  EXPECT_EQ(uncapped.before_attempt("9.9.9.9", "").delay, 1000ms);
}

TEST_F(LoginThrottleTest, IpIsBannedAfterMaxFailuresThenForgiven) {
  auto throttle = make();
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(throttle.record_failure("1.2.3.4", ""));
  EXPECT_TRUE(throttle.record_failure("1.2.3.4", ""));
  EXPECT_TRUE(throttle.before_attempt("1.2.3.4", "").banned);
  EXPECT_FALSE(throttle.before_attempt("5.6.7.8", "").banned);
  now_ += 61s;
  EXPECT_FALSE(throttle.before_attempt("1.2.3.4", "").banned);
}

TEST_F(LoginThrottleTest, AccountIsLockedAcrossIps) {
  auto throttle = make();
  throttle.record_failure("1.1.1.1", "alice@example.org");
  throttle.record_failure("2.2.2.2", "alice@example.org");
  EXPECT_TRUE(throttle.record_failure("3.3.3.3", "alice@example.org"));
  EXPECT_TRUE(throttle.before_attempt("4.4.4.4", "alice@example.org").banned);
  EXPECT_FALSE(throttle.before_attempt("4.4.4.4", "bob@example.org").banned);
}

TEST_F(LoginThrottleTest, SuccessClearsAndOldFailuresExpire) {
  auto throttle = make();
  throttle.record_failure("1.2.3.4", "alice@example.org");
  throttle.record_success("1.2.3.4", "alice@example.org");
  EXPECT_EQ(throttle.before_attempt("1.2.3.4", "alice@example.org").delay, 0ms);
  throttle.record_failure("1.2.3.4", "");
  now_ += 601s;
  EXPECT_EQ(throttle.before_attempt("1.2.3.4", "").delay, 0ms);
}

}  // namespace
}  // namespace bulwark::domain::auth

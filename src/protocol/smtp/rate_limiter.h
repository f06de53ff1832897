// Per-client-IP message rate limit for SMTP (counted at MAIL FROM): at most `limit` transactions per IP in any
// sliding 60-second window. Shared by the sessions of one listener; thread-safe; time is passed in so tests
// are deterministic. Memory is bounded: IPs with nothing in the window are pruned once the map grows.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace bulwark::protocol::smtp {

class MessageRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kWindow{60};

  // Records one message for `ip` and returns true, or returns false (and records nothing) when `ip` already
  // started `limit` messages within the window. limit == 0 turns the limit off.
  bool allow(const std::string& ip, unsigned limit, Clock::time_point now);

 private:
  void prune(Clock::time_point now);

  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> recent_;
};

}  // namespace bulwark::protocol::smtp

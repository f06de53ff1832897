// Requests per client IP per minute for the HTTP listeners: a fixed one-minute window per IP, shared by the
// sessions of one handler; thread-safe; memory bounded by pruning IPs whose window has passed.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace bulwark::protocol::http {

class RequestRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // Counts one request for `ip`; false when `ip` already made `limit` requests in its current window.
  // limit == 0 turns the limit off.
  bool allow(const std::string& ip, unsigned limit, Clock::time_point now);

 private:
  struct Window {
    Clock::time_point start;
    unsigned count = 0;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace bulwark::protocol::http

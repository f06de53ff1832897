// Throttling of failed logins, per client IP and per account, shared by every protocol (SMTP AUTH, IMAP
// LOGIN/AUTHENTICATE, HTTP Basic). After each failure the next attempt from that IP or on that account must
// wait base_delay * 2^(failures-1) (capped at max_delay); past max failures the IP or account is banned for
// ban_time. A success clears the IP's and account's counters. Time is injected so tests are deterministic.
// Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/config.h"

namespace bulwark::domain::auth {

class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;

  explicit LoginThrottle(AuthConfig config, Now now = [] { return Clock::now(); });

  struct Verdict {
    bool banned = false;                  // refuse without checking the password
    std::chrono::milliseconds delay{0};   // wait this long before answering
  };

  // Before checking a password: is this IP or account banned, and how long to delay.
  Verdict before_attempt(const std::string& ip, const std::string& account);
  // After a failed check. Returns true when this failure started a ban (worth a warning in the log).
  bool record_failure(const std::string& ip, const std::string& account);
  void record_success(const std::string& ip, const std::string& account);
  void reconfigure(const AuthConfig& config);

 private:
  struct Entry {
    unsigned failures = 0;
    Clock::time_point last_failure{};
    Clock::time_point banned_until{};
  };
  std::chrono::milliseconds delay_for(unsigned failures) const;
  void forget_stale(Entry& entry, Clock::time_point now) const;
  void prune(Clock::time_point now);

  std::mutex mutex_;
  AuthConfig config_;
  Now now_;
  std::unordered_map<std::string, Entry> by_ip_;
  std::unordered_map<std::string, Entry> by_account_;
};

}  // namespace bulwark::domain::auth

#include "domain/auth/login_throttle.h"

#include <algorithm>

namespace bulwark::domain::auth {

namespace {
// Entries kept at most; past this, stale ones are dropped so a spray of source addresses cannot grow memory.
constexpr std::size_t kPruneThreshold = 100000;
}  // namespace

LoginThrottle::LoginThrottle(AuthConfig config, Now now) : config_(config), now_(std::move(now)) {}

void LoginThrottle::reconfigure(const AuthConfig& config) {
  std::lock_guard lock(mutex_);
  config_ = config;
}

std::chrono::milliseconds LoginThrottle::delay_for(unsigned failures) const {
  if (failures == 0) return std::chrono::milliseconds(0);
  auto delay = config_.base_delay;
  for (unsigned i = 1; i < failures && delay < config_.max_delay; ++i) delay *= 2;
  return std::min(delay, config_.max_delay);
}

void LoginThrottle::forget_stale(Entry& entry, Clock::time_point now) const {
  if (entry.failures > 0 && now - entry.last_failure > config_.failure_window && now >= entry.banned_until) {
    entry = Entry{};
  }
}

LoginThrottle::Verdict LoginThrottle::before_attempt(const std::string& ip, const std::string& account) {
  std::lock_guard lock(mutex_);
  auto now = now_();
  Verdict verdict;
  auto consider = [&](std::unordered_map<std::string, Entry>& map, const std::string& key) {
    auto it = map.find(key);
    if (it == map.end()) return;
    forget_stale(it->second, now);
    if (now < it->second.banned_until) verdict.banned = true;
    verdict.delay = std::max(verdict.delay, delay_for(it->second.failures));
  };
  consider(by_ip_, ip);
  if (!account.empty()) consider(by_account_, account);
  return verdict;
}

bool LoginThrottle::record_failure(const std::string& ip, const std::string& account) {
  std::lock_guard lock(mutex_);
  auto now = now_();
  if (by_ip_.size() + by_account_.size() > kPruneThreshold) prune(now);
  bool ban_started = false;
  auto count = [&](Entry& entry, unsigned max) {
    forget_stale(entry, now);
    ++entry.failures;
    entry.last_failure = now;
    if (entry.failures >= max && now >= entry.banned_until) {
      entry.banned_until = now + config_.ban_time;
      ban_started = true;
    }
  };
  count(by_ip_[ip], config_.max_failures_per_ip);
  if (!account.empty()) count(by_account_[account], config_.max_failures_per_account);
  return ban_started;
}

void LoginThrottle::record_success(const std::string& ip, const std::string& account) {
  std::lock_guard lock(mutex_);
  by_ip_.erase(ip);
  by_account_.erase(account);
}

void LoginThrottle::prune(Clock::time_point now) {
  auto stale = [&](const auto& item) {
    return now - item.second.last_failure > config_.failure_window && now >= item.second.banned_until;
  };
  std::erase_if(by_ip_, stale);
  std::erase_if(by_account_, stale);
}

}  // namespace bulwark::domain::auth

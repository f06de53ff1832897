#include "protocol/smtp/rate_limiter.h"

namespace bulwark::protocol::smtp {
namespace {
constexpr std::size_t kPruneThreshold = 10000;
}

bool MessageRateLimiter::allow(const std::string& ip, unsigned limit, Clock::time_point now) {
  if (limit == 0) return true;
  std::lock_guard lock(mutex_);
  if (recent_.size() > kPruneThreshold) prune(now);
  auto& times = recent_[ip];
  while (!times.empty() && now - times.front() >= kWindow) times.pop_front();
  if (times.size() >= limit) return false;
  times.push_back(now);
  return true;
}

void MessageRateLimiter::prune(Clock::time_point now) {
  std::erase_if(recent_, [&](const auto& item) { return item.second.empty() || now - item.second.back() >= kWindow; });
}

}  // namespace bulwark::protocol::smtp

#include "protocol/http/request_rate_limiter.h"

namespace bulwark::protocol::http {

bool RequestRateLimiter::allow(const std::string& ip, unsigned limit, Clock::time_point now) {
  if (limit == 0) return true;
  constexpr auto kWindow = std::chrono::minutes(1);
  std::lock_guard lock(mutex_);
  if (windows_.size() > 10000) {
    for (auto it = windows_.begin(); it != windows_.end();) {
      it = now - it->second.start >= kWindow ? windows_.erase(it) : std::next(it);
    }
  }
  auto& window = windows_[ip];
  if (window.count == 0 || now - window.start >= kWindow) {
    window.start = now;
    window.count = 0;
  }
  if (window.count >= limit) return false;
  ++window.count;
  return true;
}

}  // namespace bulwark::protocol::http

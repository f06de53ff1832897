#include "delivery/retry_policy.h"

#include <algorithm>

namespace bulwark::delivery {

std::chrono::seconds retry_delay(const RetryPolicy& policy, unsigned attempts) {
  auto delay = policy.base;
  for (unsigned i = 1; i < attempts && delay < policy.max; ++i) delay *= 2;
  return std::min(delay, policy.max);
}

std::optional<std::int64_t> next_attempt(const RetryPolicy& policy, unsigned attempts, std::int64_t now,
                                         std::int64_t created, std::int64_t expires) {
  std::int64_t deadline = expires ? expires : created + policy.lifetime.count();
  if (now >= deadline) return std::nullopt;
  // The last attempt happens at the deadline rather than never.
  return std::min(now + retry_delay(policy, attempts).count(), deadline);
}

}  // namespace bulwark::delivery

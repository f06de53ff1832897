// When a transient failure is tried again: retry_base after the first attempt, doubled per attempt, capped at
// retry_max; after the message's lifetime (created + [delivery] lifetime, or its own expiry) it bounces
// instead (RFC 5321 4.5.4.1: give up after 4-5 days). Pure, so it is unit-tested without clocks.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace bulwark::delivery {

struct RetryPolicy {
  std::chrono::seconds base{300};
  std::chrono::seconds max{4 * 3600};
  std::chrono::seconds lifetime{5 * 86400};
};

// The delay after the attempt numbered `attempts` (1 = the first attempt just failed).
std::chrono::seconds retry_delay(const RetryPolicy& policy, unsigned attempts);

// The next attempt's time, or nullopt when the message must bounce now (that time would be past its expiry).
// `expires` 0 means created + lifetime.
std::optional<std::int64_t> next_attempt(const RetryPolicy& policy, unsigned attempts, std::int64_t now,
                                         std::int64_t created, std::int64_t expires);

}  // namespace bulwark::delivery

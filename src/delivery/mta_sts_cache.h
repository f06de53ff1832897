// The MTA-STS policy cache (RFC 8461 5.1), persisted so that a restart keeps enforcing: one file per policy
// domain under data_dir/mta-sts/, holding the TXT id the policy was fetched under, the fetch time and the
// policy text as served. Thread-safe; calls do file I/O and run on the blocking pool.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "base/result.h"
#include "parse/mta_sts/mta_sts_policy.h"

namespace bulwark::delivery {

struct CachedPolicy {
  std::string id;
  std::int64_t fetched = 0;  // seconds since the epoch
  std::string text;          // as served; parsed again on load
  parse::mta_sts::Policy policy;

  bool is_fresh(std::int64_t now) const { return now < fetched + static_cast<std::int64_t>(policy.max_age); }
};

class MtaStsCache {
 public:
  explicit MtaStsCache(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // nullopt when absent or unreadable (an unparseable file is treated as absent).
  std::optional<CachedPolicy> get(const std::string& domain);
  // Written to a temporary file and renamed: a crash leaves the old or the new policy.
  [[nodiscard]] Status put(const std::string& domain, const CachedPolicy& policy);

 private:
  std::optional<std::filesystem::path> path_for(const std::string& domain) const;

  std::filesystem::path dir_;
  std::mutex mutex_;
};

}  // namespace bulwark::delivery

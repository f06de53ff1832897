#include "protocol/smtp/recipient_cache.h"

#include <algorithm>

namespace bulwark::protocol::smtp {

bool RecipientCache::cacheable(const Answer& answer) {
  if (!answer.resolution) return true;
  const auto& local = answer.resolution->local;
  return std::none_of(local.begin(), local.end(), [](const store::DeliveryTarget& t) { return t.quota_bytes() != 0; });
}

void RecipientCache::advance_locked(std::uint64_t stamp) {
  // Stamps only grow (SQLite's data_version of one connection), so a different one is a newer directory.
  if (has_stamp_ && stamp == stamp_) return;
  answers_.clear();
  stamp_ = stamp;
  has_stamp_ = true;
}

std::optional<RecipientCache::Answer> RecipientCache::find(std::uint64_t stamp, const std::string& address) {
  std::lock_guard lock(mutex_);
  if (has_stamp_ && stamp < stamp_) return std::nullopt;  // read before a newer one was seen: not trusted
  advance_locked(stamp);
  auto it = answers_.find(address);
  if (it == answers_.end()) return std::nullopt;
  return it->second;
}

void RecipientCache::store(std::uint64_t stamp, const std::string& address, const Answer& answer) {
  if (capacity_ == 0 || !cacheable(answer)) return;
  std::lock_guard lock(mutex_);
  if (has_stamp_ && stamp < stamp_) return;  // the directory changed while this answer was computed
  advance_locked(stamp);
  if (answers_.size() >= capacity_) answers_.clear();
  answers_.insert_or_assign(address, answer);
}

}  // namespace bulwark::protocol::smtp

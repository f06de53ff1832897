#include "net/connection_limiter.h"

namespace bulwark::net {

ConnectionLimiter::Ticket::~Ticket() {
  if (owner_) owner_->release(ip_);
}

std::optional<ConnectionLimiter::Ticket> ConnectionLimiter::acquire(const std::string& ip, Refusal* why) {
  std::lock_guard lock(mutex_);
  if (total_ >= max_total_) {
    if (why) *why = Refusal::total;
    return std::nullopt;
  }
  auto& count = per_ip_[ip];
  if (count >= max_per_ip_) {
    if (why) *why = Refusal::per_ip;
    if (count == 0) per_ip_.erase(ip);
    return std::nullopt;
  }
  ++count;
  ++total_;
  if (why) *why = Refusal::none;
  return Ticket(shared_from_this(), ip);
}

void ConnectionLimiter::release(const std::string& ip) {
  std::lock_guard lock(mutex_);
  --total_;
  auto it = per_ip_.find(ip);
  if (it != per_ip_.end() && --it->second == 0) per_ip_.erase(it);
}

void ConnectionLimiter::set_limits(std::size_t max_total, std::size_t max_per_ip) {
  std::lock_guard lock(mutex_);
  max_total_ = max_total;
  max_per_ip_ = max_per_ip;
}

std::size_t ConnectionLimiter::total() const {
  std::lock_guard lock(mutex_);
  return total_;
}

}  // namespace bulwark::net

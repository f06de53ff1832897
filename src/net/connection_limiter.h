// The global and per-IP connection limits ([limits] max_connections, max_connections_per_ip). A Ticket is
// held for the life of a connection and gives its slot back when destroyed. Thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace bulwark::net {

class ConnectionLimiter : public std::enable_shared_from_this<ConnectionLimiter> {
 public:
  ConnectionLimiter(std::size_t max_total, std::size_t max_per_ip) : max_total_(max_total), max_per_ip_(max_per_ip) {}

  class Ticket {
   public:
    Ticket(std::shared_ptr<ConnectionLimiter> owner, std::string ip) : owner_(std::move(owner)), ip_(std::move(ip)) {}
    Ticket(Ticket&&) = default;
    Ticket& operator=(Ticket&&) = default;
    ~Ticket();

   private:
    std::shared_ptr<ConnectionLimiter> owner_;
    std::string ip_;
  };

  enum class Refusal { none, total, per_ip };
  // A ticket, or why not.
  std::optional<Ticket> acquire(const std::string& ip, Refusal* why);
  void set_limits(std::size_t max_total, std::size_t max_per_ip);
  std::size_t total() const;

 private:
  void release(const std::string& ip);

  mutable std::mutex mutex_;
  std::size_t max_total_;
  std::size_t max_per_ip_;
  std::size_t total_ = 0;
  std::unordered_map<std::string, std::size_t> per_ip_;
};

}  // namespace bulwark::net

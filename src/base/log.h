// Logging: one line per event on stderr, greppable by an admin. Session code logs through a SessionLog so that
// every line carries the connection id, the peer address and (once known) the authenticated user:
//   2026-11-24T05:40:00.123Z info  [smtp c=17 peer=127.0.0.1:4455 user=alice@example.org] message accepted ...
#pragma once

#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

namespace bulwark::log {

// Installs the stderr logger with Bulwark's line format. `level` is trace|debug|info|warn|error.
void init(std::string_view level);
[[nodiscard]] bool set_level(std::string_view level);

// The prefix every line of one connection carries. Cheap to copy; the user is filled in after AUTH.
class SessionLog {
 public:
  SessionLog(std::string_view protocol, std::uint64_t connection_id, std::string peer);

  void set_user(std::string_view user);
  const std::string& peer() const { return peer_; }
  std::uint64_t connection_id() const { return connection_id_; }

  template <class... Args>
  void info(fmt::format_string<Args...> format, Args&&... args) const {
    spdlog::info("[{}] {}", prefix_, fmt::format(format, std::forward<Args>(args)...));
  }
  template <class... Args>
  void warn(fmt::format_string<Args...> format, Args&&... args) const {
    spdlog::warn("[{}] {}", prefix_, fmt::format(format, std::forward<Args>(args)...));
  }
  template <class... Args>
  void error(fmt::format_string<Args...> format, Args&&... args) const {
    spdlog::error("[{}] {}", prefix_, fmt::format(format, std::forward<Args>(args)...));
  }
  template <class... Args>
  void debug(fmt::format_string<Args...> format, Args&&... args) const {
    if (spdlog::should_log(spdlog::level::debug)) {
      spdlog::debug("[{}] {}", prefix_, fmt::format(format, std::forward<Args>(args)...));
    }
  }

 private:
  void rebuild();

  std::string protocol_;
  std::uint64_t connection_id_;
  std::string peer_;
  std::string user_;
  std::string prefix_;
};

// Makes client-supplied text safe to put in a log line: no control characters, bounded length.
std::string sanitize(std::string_view text, std::size_t max_len = 200);

}  // namespace bulwark::log

#include "base/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace bulwark::log {

void init(std::string_view level) {
  auto logger = spdlog::stderr_logger_mt("bulwark");
  // UTC ISO 8601 timestamps: admins correlate logs across machines.
  logger->set_formatter(std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ %-5l %v",
                                                                    spdlog::pattern_time_type::utc));
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  (void)set_level(level);
}

bool set_level(std::string_view level) {
  auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") return false;
  spdlog::set_level(parsed);
  return true;
}

SessionLog::SessionLog(std::string_view protocol, std::uint64_t connection_id, std::string peer)
    : protocol_(protocol), connection_id_(connection_id), peer_(std::move(peer)) {
  rebuild();
}

void SessionLog::set_user(std::string_view user) {
  user_ = sanitize(user, 320);
  rebuild();
}

void SessionLog::rebuild() {
  prefix_ = fmt::format("{} c={} peer={}", protocol_, connection_id_, peer_);
  if (!user_.empty()) prefix_ += fmt::format(" user={}", user_);
}

std::string sanitize(std::string_view text, std::size_t max_len) {
  std::string out;
  out.reserve(std::min(text.size(), max_len) + 3);
  for (char c : text.substr(0, max_len)) {
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  if (text.size() > max_len) out += "...";
  return out;
}

}  // namespace bulwark::log

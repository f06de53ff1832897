#include "parse/smtp/message_checker.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace bulwark::parse::smtp {

Status MessageReport::status() const {
  if (too_big) return fail(Errc::too_big, "message exceeds the maximum size");
  if (nul) return fail(Errc::invalid_syntax, "NUL character in message");
  if (bare_line_ending) return fail(Errc::invalid_syntax, "bare LF/CR in message; lines must end with CRLF");
  if (long_line) return fail(Errc::invalid_syntax, "message line too long");
  return ok();
}

namespace {
bool has_eight_bit(std::string_view run) {
  std::size_t i = 0;
  for (; i + 8 <= run.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, run.data() + i, 8);
    if (word & 0x8080808080808080ull) return true;
  }
  for (; i < run.size(); ++i) {
    if (static_cast<unsigned char>(run[i]) >= 0x80) return true;
  }
  return false;
}
}  // namespace

void MessageChecker::emit(std::string_view bytes, std::string& out) {
  report_.size += bytes.size();
  if (report_.size > policy_.max_message_octets) report_.too_big = true;
  const std::size_t room = policy_.max_message_octets - std::min(stored_, policy_.max_message_octets);
  const std::size_t take = std::min(room, bytes.size());
  out.append(bytes.data(), take);
  stored_ += take;
}

void MessageChecker::add_to_line(std::size_t octets) noexcept {
  line_octets_ += octets;
  // The CRLF still to come counts towards the limit.
  if (line_octets_ + 2 > policy_.max_line_octets) report_.long_line = true;
}

void MessageChecker::bare_line_ending(char byte, std::string& out) {
  if (policy_.bare_line_ending == BareLineEnding::normalize) {
    report_.normalized = true;
    emit("\r\n", out);
  } else {
    report_.bare_line_ending = true;
    emit(std::string_view(&byte, 1), out);
  }
  line_octets_ = 0;
}

void MessageChecker::feed(std::string_view bytes, std::string& out) {
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    if (pending_cr_) {
      pending_cr_ = false;
      if (bytes[pos] == '\n') {
        emit("\r\n", out);
        line_octets_ = 0;
        at_line_start_ = true;
        ++pos;
        continue;
      }
      bare_line_ending('\r', out);
    }
    at_line_start_ = false;
    const char c = bytes[pos];
    if (c == '\r') {
      pending_cr_ = true;
      ++pos;
      continue;
    }
    if (c == '\n') {
      bare_line_ending('\n', out);
      ++pos;
      continue;
    }
    // A run of ordinary octets up to the next CR or LF (memchr and a word-wide test: this is every octet of
    // every message, so no per-octet branches).
    const std::string_view rest = bytes.substr(pos);
    std::size_t end = pos + std::min(rest.find('\n'), rest.size());
    end = pos + std::min(bytes.substr(pos, end - pos).find('\r'), end - pos);
    const std::string_view run = bytes.substr(pos, end - pos);
    if (!report_.nul && run.find('\0') != std::string_view::npos) report_.nul = true;
    if (!report_.eight_bit && has_eight_bit(run)) report_.eight_bit = true;
    add_to_line(end - pos);
    emit(bytes.substr(pos, end - pos), out);
    pos = end;
  }
}

void MessageChecker::finish(std::string& out) {
  if (!pending_cr_) return;
  pending_cr_ = false;
  bare_line_ending('\r', out);
}

MessageReport check_message(std::string_view message, const MessagePolicy& policy, std::string& out) {
  MessageChecker checker(policy);
  checker.feed(message, out);
  checker.finish(out);
  return checker.report();
}

MessageReport check_message(std::string_view message, const MessagePolicy& policy) {
  // Nothing is stored: a zero-size budget for output, the real limit applied to the count.
  MessagePolicy counting = policy;
  counting.max_message_octets = 0;
  std::string sink;
  MessageReport report = check_message(message, counting, sink);
  report.too_big = report.size > policy.max_message_octets;
  return report;
}

}  // namespace bulwark::parse::smtp

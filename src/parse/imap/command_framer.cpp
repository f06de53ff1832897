#include "parse/imap/command_framer.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace bulwark::parse::imap {
namespace {

constexpr std::size_t kTailBytes = 32;  // enough for "~{18446744073709551615+}"

struct LiteralMarker {
  std::uint64_t size = 0;
  bool is_literal8 = false;
  bool is_synchronizing = true;
  bool is_overflow = false;
  std::size_t start = 0;  // where "{" or "~{" starts in the line
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A line ending in "{n}", "{n+}", "~{n}" or "~{n+}" (RFC 9051 4.3, RFC 7888, RFC 3516).
std::optional<LiteralMarker> find_literal_marker(std::string_view line) {
  if (line.empty() || line.back() != '}') return std::nullopt;
  std::size_t end = line.size() - 1;  // index of '}'
  LiteralMarker marker;
  if (end > 0 && line[end - 1] == '+') {
    marker.is_synchronizing = false;
    --end;
  }
  std::size_t first_digit = end;
  while (first_digit > 0 && is_digit(line[first_digit - 1])) --first_digit;
  if (first_digit == end || first_digit == 0 || line[first_digit - 1] != '{') return std::nullopt;
  marker.start = first_digit - 1;
  if (marker.start > 0 && line[marker.start - 1] == '~') {
    marker.is_literal8 = true;
    --marker.start;
  }
  for (std::size_t i = first_digit; i < end; ++i) {
    const auto digit = static_cast<std::uint64_t>(line[i] - '0');
    if (marker.size > (UINT64_MAX - digit) / 10) {
      marker.is_overflow = true;
      break;
    }
    marker.size = marker.size * 10 + digit;
  }
  return marker;
}

// tag = 1*<any ASTRING-CHAR except "+"> (RFC 9051 9).
bool is_tag_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;
  switch (c) {
    case '(': case ')': case '{': case '%': case '*': case '"': case '\\': case '+':
      return false;
    default:
      return true;
  }
}

}  // namespace

CommandFramer::CommandFramer(Limits limits) : limits_(limits) {}

void CommandFramer::feed(std::string_view bytes) {
  compact();
  input_.append(bytes);
}

void CommandFramer::compact() {
  if (input_pos_ == 0) return;
  if (input_pos_ >= input_.size()) {
    input_.clear();
    scan_pos_ = 0;
    input_pos_ = 0;
    return;
  }
  input_.erase(0, input_pos_);
  scan_pos_ -= std::min(scan_pos_, input_pos_);
  input_pos_ = 0;
}

void CommandFramer::reset_command() {
  command_ = FramedCommand{};
  is_tag_known_ = false;
  is_discarding_command_ = false;
  discard_tail_.clear();
}

void CommandFramer::remember_tag(std::string_view line) {
  if (is_tag_known_) return;
  is_tag_known_ = true;
  // A tag counts only when a SP follows it within the first bytes, so a line cut short (too long, still
  // arriving) yields the same tag as the whole line.
  const std::size_t max_tag = std::min(kMaxTagBytes, limits_.max_line_bytes);
  std::size_t n = 0;
  while (n < line.size() && n <= max_tag && is_tag_char(line[n])) ++n;
  if (n > 0 && n <= max_tag && n < line.size() && line[n] == ' ') command_.tag.assign(line.substr(0, n));
}

FrameEvent CommandFramer::fail(FrameErrorKind kind) {
  FrameEvent event;
  event.kind = FrameEventKind::error;
  event.error.kind = kind;
  event.error.tag = command_.tag;
  return event;
}

FrameEvent CommandFramer::next() {
  for (;;) {
    switch (state_) {
      case State::awaiting_decision: {
        FrameEvent event;
        event.kind = pending_.is_synchronizing ? FrameEventKind::need_continuation
                                               : FrameEventKind::need_literal_decision;
        event.literal = pending_;
        return event;
      }
      case State::literal: {
        const std::size_t available = input_.size() - input_pos_;
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(available, literal_remaining_));
        command_.text.append(input_, input_pos_, n);
        input_pos_ += n;
        literal_remaining_ -= n;
        if (literal_remaining_ > 0) return FrameEvent{};
        state_ = State::line;
        scan_pos_ = input_pos_;
        continue;
      }
      case State::skip_literal: {
        const std::size_t available = input_.size() - input_pos_;
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(available, skip_remaining_));
        input_pos_ += n;
        skip_remaining_ -= n;
        if (skip_remaining_ > 0) return FrameEvent{};
        state_ = State::discard_line;  // the rest of the refused command
        discard_tail_.clear();
        scan_pos_ = input_pos_;
        continue;
      }
      case State::discard_line: {
        const std::size_t lf = input_.find('\n', input_pos_);
        const std::size_t stop = lf == std::string::npos ? input_.size() : lf;
        discard_tail_.append(input_, input_pos_, stop - input_pos_);
        if (discard_tail_.size() > kTailBytes) discard_tail_.erase(0, discard_tail_.size() - kTailBytes);
        if (lf == std::string::npos) {
          input_pos_ = input_.size();
          return FrameEvent{};
        }
        input_pos_ = lf + 1;
        scan_pos_ = input_pos_;
        std::string_view tail = discard_tail_;
        if (!tail.empty() && tail.back() == '\r') tail.remove_suffix(1);
        const auto marker = find_literal_marker(tail);
        if (marker && !marker->is_synchronizing && !marker->is_overflow) {
          // The client sends these bytes without waiting: skip them, then the rest of the command.
          skip_remaining_ = marker->size;
          state_ = State::skip_literal;
          discard_tail_.clear();
          continue;
        }
        reset_command();
        state_ = State::line;
        continue;
      }
      case State::line: {
        const std::size_t lf = input_.find('\n', scan_pos_);
        if (lf == std::string::npos) {
          scan_pos_ = input_.size();
          // Allow for the CR of a CRLF that has not arrived yet.
          if (input_.size() - input_pos_ > limits_.max_line_bytes + 1) {
            remember_tag(std::string_view(input_).substr(input_pos_));
            auto event = fail(FrameErrorKind::line_too_long);
            state_ = State::discard_line;
            discard_tail_.clear();
            return event;
          }
          return FrameEvent{};
        }
        return on_line_end(lf);
      }
    }
  }
}

FrameEvent CommandFramer::on_line_end(std::size_t lf) {
  std::string_view line = std::string_view(input_).substr(input_pos_, lf - input_pos_);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  remember_tag(line);
  if (line.size() > limits_.max_line_bytes) {
    auto event = fail(FrameErrorKind::line_too_long);
    state_ = State::discard_line;  // re-reads this line up to its LF, then looks at its end
    discard_tail_.clear();
    return event;
  }
  if (command_.text.size() + line.size() > limits_.max_command_bytes) {
    auto event = fail(FrameErrorKind::command_too_big);
    state_ = State::discard_line;
    discard_tail_.clear();
    return event;
  }
  const auto marker = find_literal_marker(line);
  command_.text.append(line);
  input_pos_ = lf + 1;
  scan_pos_ = input_pos_;
  if (!marker) {
    FrameEvent event;
    event.kind = FrameEventKind::command_complete;
    event.command = std::move(command_);
    reset_command();
    return event;
  }
  if (marker->is_overflow) {
    auto event = fail(FrameErrorKind::bad_literal_size);
    reset_command();
    return event;
  }
  command_.text.append("\r\n");
  return on_literal(marker->size, marker->is_literal8, marker->is_synchronizing);
}

FrameEvent CommandFramer::on_literal(std::uint64_t size, bool is_literal8, bool is_synchronizing) {
  pending_ = LiteralAnnouncement{command_.tag, size, is_literal8, is_synchronizing};
  const bool is_too_big = size > limits_.max_literal_bytes ||
                          (!is_synchronizing && limits_.is_literal_minus && size > kLiteralMinusMaxBytes);
  const bool is_command_too_big = size > limits_.max_command_bytes - std::min<std::uint64_t>(
                                             limits_.max_command_bytes, command_.text.size());
  if (is_too_big || is_command_too_big) {
    auto event = fail(is_too_big ? FrameErrorKind::literal_too_big : FrameErrorKind::command_too_big);
    event.literal = pending_;
    if (is_synchronizing) {
      reset_command();  // the client waits for "+", gets the tagged answer instead, and sends nothing
      state_ = State::line;
    } else {
      skip_remaining_ = size;
      state_ = State::skip_literal;
    }
    return event;
  }
  if (is_synchronizing || limits_.is_non_sync_confirmed) {
    state_ = State::awaiting_decision;
    return next();
  }
  command_.literals.push_back(LiteralSpan{command_.text.size(), size, is_literal8, is_synchronizing});
  literal_remaining_ = size;
  state_ = State::literal;
  return next();
}

void CommandFramer::accept_literal() {
  if (state_ != State::awaiting_decision) return;
  command_.literals.push_back(
      LiteralSpan{command_.text.size(), pending_.size, pending_.is_literal8, pending_.is_synchronizing});
  literal_remaining_ = pending_.size;
  state_ = State::literal;
}

void CommandFramer::refuse_literal() {
  if (state_ != State::awaiting_decision) return;
  if (pending_.is_synchronizing) {
    reset_command();
    state_ = State::line;
    scan_pos_ = input_pos_;
    return;
  }
  skip_remaining_ = pending_.size;
  state_ = State::skip_literal;
}

}  // namespace bulwark::parse::imap

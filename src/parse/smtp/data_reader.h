// Incremental decoder for the DATA body (RFC 5321 4.1.1.4, 4.5.2): removes dot-stuffing and finds the end of
// the data, fed in chunks of any size split anywhere.
//
// Only <CRLF>.<CRLF> ends the data (or ".<CRLF>" as the very first line, an empty message). A bare LF or CR
// never starts a line for this purpose, so <LF>.<LF>, <LF>.<CRLF>, <CR>.<CR>, <CRLF>.<LF>, <CR><LF>.<CR> ...
// are message content, never the end (the SMTP smuggling class, CVE-2023-51764). Dot-unstuffing likewise
// applies only at the start of a real line: a leading "." is dropped there, whatever follows it.
// The CRLF before the final "." belongs to the message, so a non-empty message ends with CRLF.
//
// The decoded message goes through a MessageChecker (line length, NUL, bare CR/LF policy, size cap, 8-bit
// flag); violations do not stop consumption, so the session reads to the end and then answers once from
// status(). Contract: O(n) over all feeds, memory bounded by max_message_octets, never throws on input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"
#include "parse/smtp/message_checker.h"

namespace bulwark::parse::smtp {

struct FeedResult {
  std::size_t consumed = 0;  // octets of the chunk used; after the end of data the rest belongs to the next command
  bool done = false;         // the terminator has been consumed
};

class DataReader {
 public:
  explicit DataReader(MessagePolicy policy = {}) : checker_(policy) {}

  // Appends un-stuffed message octets to `out` (the caller may hand a fresh string each time and stream the
  // previous one away). After done, feed consumes nothing.
  [[nodiscard]] FeedResult feed(std::string_view chunk, std::string& out);

  bool is_done() const noexcept { return state_ == State::done; }
  const MessageReport& report() const noexcept { return checker_.report(); }
  // ok() for an acceptable message; otherwise the first violation (see MessageReport::status).
  [[nodiscard]] Status status() const { return checker_.report().status(); }

 private:
  enum class State { line_start, dot, dot_cr, body, done };

  MessageChecker checker_;
  State state_ = State::line_start;
};

}  // namespace bulwark::parse::smtp

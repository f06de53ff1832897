// The line rules every received message is held to, whether it came with DATA (through DataReader, after
// dot-unstuffing) or with BDAT (RFC 3030: raw chunks, no dot-stuffing, no terminator):
//   - line endings are CRLF; a bare CR or bare LF is refused or rewritten to CRLF (BareLineEnding);
//   - a text line is at most max_line_octets including its CRLF (RFC 5321 4.5.3.1.6);
//   - no NUL octet (RFC 5321 2.3.8, RFC 5322 2.1);
//   - the message is at most max_message_octets; past that nothing more is stored (memory stays bounded),
//     the rest is only counted, and the report says too_big (RFC 1870 / RFC 5321 4.5.3.1.7);
//   - 8-bit octets are only noted (eight_bit), so the caller can refuse them without 8BITMIME (RFC 6152).
// A violation never stops consumption: the caller reads to the end of the data, then answers once.
//
// Contract: pure, O(n), bounded output, never throws on input (only std::bad_alloc from `out`).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::parse::smtp {

inline constexpr std::size_t kMaxTextLineOctets = 1000;                      // RFC 5321 4.5.3.1.6
inline constexpr std::size_t kDefaultMaxMessageOctets = 64 * 1024 * 1024;

enum class BareLineEnding {
  reject,     // the message is reported invalid ("bare LF/CR"); the bytes are kept as sent
  normalize,  // a bare CR or LF is written out as CRLF
};

struct MessagePolicy {
  BareLineEnding bare_line_ending = BareLineEnding::reject;
  std::size_t max_line_octets = kMaxTextLineOctets;  // including the CRLF
  std::size_t max_message_octets = kDefaultMaxMessageOctets;
};

struct MessageReport {
  std::size_t size = 0;               // octets of the decoded message, also counted past the limit
  bool too_big = false;               // size > max_message_octets; output stopped at the limit
  bool bare_line_ending = false;      // a bare CR/LF under BareLineEnding::reject
  bool normalized = false;            // a bare CR/LF was rewritten under BareLineEnding::normalize
  bool long_line = false;             // a line longer than max_line_octets
  bool nul = false;                   // a NUL octet
  bool eight_bit = false;             // an octet >= 0x80 (not an error by itself)

  bool is_valid() const noexcept { return !too_big && !bare_line_ending && !long_line && !nul; }
  // The first violation in the order too_big (Errc::too_big), NUL, bare LF/CR, long line
  // (Errc::invalid_syntax); details are fit for the client.
  [[nodiscard]] Status status() const;
};

// Incremental checker: feed the message in any split, then finish().
class MessageChecker {
 public:
  explicit MessageChecker(MessagePolicy policy = {}) : policy_(policy) {}

  // Appends the (normalized) bytes to `out`, never more than max_message_octets in total over all calls.
  void feed(std::string_view bytes, std::string& out);
  // End of the message: a CR still waiting for its LF is a bare CR.
  void finish(std::string& out);

  // True at the start of the message and right after a CRLF (not after a bare CR/LF).
  bool is_at_line_start() const noexcept { return at_line_start_ && !pending_cr_; }
  const MessageReport& report() const noexcept { return report_; }

 private:
  void emit(std::string_view bytes, std::string& out);
  void add_to_line(std::size_t octets) noexcept;
  void bare_line_ending(char byte, std::string& out);

  MessagePolicy policy_;
  MessageReport report_;
  std::size_t stored_ = 0;
  std::size_t line_octets_ = 0;
  bool pending_cr_ = false;
  bool at_line_start_ = true;
};

// One-shot form for a complete message (BDAT LAST): the decoded, possibly normalized copy goes to `out`.
[[nodiscard]] MessageReport check_message(std::string_view message, const MessagePolicy& policy, std::string& out);
// Check only; nothing is copied (normalization is only reported).
[[nodiscard]] MessageReport check_message(std::string_view message, const MessagePolicy& policy = {});

}  // namespace bulwark::parse::smtp

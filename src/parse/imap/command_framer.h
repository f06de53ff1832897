// CommandFramer: cuts the client byte stream into complete IMAP commands, incrementally and within limits.
//
// Contract (RFC 9051 2.2.1, 4.3, 7.5; RFC 7888 LITERAL+/LITERAL-; RFC 3516 literal8):
//  - feed() appends any chunk of bytes; next() returns one event at a time. The result never depends on how
//    the input was chunked.
//  - A command is one line, or several lines joined by literals: a line ending in "{n}" (synchronizing),
//    "{n+}" (non-synchronizing) or "~{n}" / "~{n+}" (literal8) is followed by exactly n raw bytes and then
//    more of the same command, up to a line with no literal announcement.
//  - Synchronizing literal within limits: next() returns need_continuation and the framer pauses (next()
//    keeps returning the same event) until the caller calls accept_literal() (after writing "+ ...") or
//    refuse_literal() (after writing a tagged NO/BAD; the client will not send the bytes, the command is
//    dropped).
//  - Non-synchronizing literal within limits: read without asking, unless Limits::is_non_sync_confirmed, then
//    need_literal_decision is returned and refuse_literal() skips exactly n bytes and the rest of the command.
//  - Over a limit: next() returns error (with the tag when it could be read). A refused or oversized
//    non-synchronizing literal is skipped (exactly n bytes), then the rest of that command is discarded; an
//    oversized synchronizing literal drops the command at once. A too long line is discarded up to its LF.
//  - Lines end in CRLF; a bare LF is accepted too. The final line ending is not part of the command text.
//  - Memory is bounded by Limits: the framer keeps at most one command plus unread input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::parse::imap {

inline constexpr std::size_t kLiteralMinusMaxBytes = 4096;  // RFC 7888 4: LITERAL- non-sync literal cap
inline constexpr std::size_t kMaxTagBytes = 255;             // longer tags are not recognized

struct Limits {
  std::size_t max_line_bytes = 64 * 1024;                 // per line, outside literals
  std::uint64_t max_literal_bytes = 64ull * 1024 * 1024;  // per literal
  std::uint64_t max_command_bytes = 80ull * 1024 * 1024;  // whole command, lines and literals
  bool is_literal_minus = false;        // server advertises LITERAL- instead of LITERAL+
  bool is_non_sync_confirmed = false;   // ask the caller about each non-synchronizing literal too
};

// Where a literal's bytes sit inside FramedCommand::text.
struct LiteralSpan {
  std::size_t offset = 0;
  std::uint64_t size = 0;
  bool is_literal8 = false;
  bool is_synchronizing = true;
};

struct FramedCommand {
  std::string tag;   // empty unless the line starts with a valid tag (at most kMaxTagBytes) and a SP
  std::string text;  // the whole command, lines joined by CRLF, literal bytes inline, no final CRLF
  std::vector<LiteralSpan> literals;
};

enum class FrameErrorKind {
  line_too_long,
  literal_too_big,     // over max_literal_bytes, or over 4096 with LITERAL-
  command_too_big,     // over max_command_bytes
  bad_literal_size,    // "{...}" at the end of a line whose size is not a number
};

struct FrameError {
  FrameErrorKind kind = FrameErrorKind::line_too_long;
  std::string tag;  // empty when unknown
};

struct LiteralAnnouncement {
  std::string tag;
  std::uint64_t size = 0;
  bool is_literal8 = false;
  bool is_synchronizing = true;
};

enum class FrameEventKind {
  need_more_input,        // everything fed has been consumed
  need_continuation,      // synchronizing literal: send "+" and accept_literal(), or refuse_literal()
  need_literal_decision,  // non-synchronizing literal (only with is_non_sync_confirmed): accept or refuse
  command_complete,       // `command` holds a complete command
  error,                  // `error` says what; the framer has already recovered
};

struct FrameEvent {
  FrameEventKind kind = FrameEventKind::need_more_input;
  FramedCommand command;        // command_complete
  LiteralAnnouncement literal;  // need_continuation, need_literal_decision, error literal_too_big
  FrameError error;             // error
};

class CommandFramer {
 public:
  explicit CommandFramer(Limits limits = {});

  void feed(std::string_view bytes);
  [[nodiscard]] FrameEvent next();

  // Answer a pending need_continuation / need_literal_decision. Without one pending they do nothing.
  void accept_literal();
  void refuse_literal();

  [[nodiscard]] bool is_awaiting_decision() const noexcept { return state_ == State::awaiting_decision; }
  // Bytes fed but not yet consumed.
  [[nodiscard]] std::size_t buffered_bytes() const noexcept { return input_.size() - input_pos_; }
  [[nodiscard]] const Limits& limits() const noexcept { return limits_; }
  // Takes effect for literals announced from now on (e.g. LITERAL- before authentication, LITERAL+ after).
  void set_limits(const Limits& limits) noexcept { limits_ = limits; }

 private:
  enum class State {
    line,               // reading a line of the current command
    literal,            // copying literal bytes into the command
    awaiting_decision,  // a literal was announced, the caller decides
    skip_literal,       // skipping the bytes of a refused non-synchronizing literal
    discard_line,       // discarding the rest of a line (too long, or rest of a refused command)
  };

  FrameEvent on_line_end(std::size_t line_end);
  FrameEvent on_literal(std::uint64_t size, bool is_literal8, bool is_synchronizing);
  FrameEvent fail(FrameErrorKind kind);
  void remember_tag(std::string_view line);
  void reset_command();
  void compact();

  Limits limits_;
  State state_ = State::line;
  std::string input_;
  std::size_t input_pos_ = 0;
  std::size_t scan_pos_ = 0;  // where the LF search resumes inside the current line
  FramedCommand command_;
  bool is_tag_known_ = false;
  LiteralAnnouncement pending_;
  std::uint64_t skip_remaining_ = 0;
  std::uint64_t literal_remaining_ = 0;
  bool is_discarding_command_ = false;  // after skip/discard, drop the rest of the command
  std::string discard_tail_;            // last bytes of a discarded line, to spot a "{n+}" at its end
};

}  // namespace bulwark::parse::imap

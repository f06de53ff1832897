// parse_command: one framed IMAP command (command_framer.h) -> Command (command.h).
//
// Contract (RFC 9051 9 formal syntax, RFC 3501 9 where rev1 differs):
//  - Input is one whole command without its final CRLF (a "\r\n" at the end belongs to a "{0}" literal);
//    literals "{n}\r\n<n bytes>" are inline. Pure and bounded: never throws, never asserts, nesting deeper than kMaxSearchDepth
//    (search keys, parenthesized lists) is an error.
//  - Errors: invalid_syntax for grammar errors and unknown commands (answer "tag BAD"); too_big for depth and
//    size limits. Error::detail is safe to echo to the client. The tag of a failed command comes from
//    FramedCommand::tag or extract_tag(): empty means answer with "* BAD".
//  - Keywords are case-insensitive; atoms follow the RFC's exact character classes; 8-bit bytes are only
//    accepted inside literals, and inside quoted strings and mailbox names when is_utf8_enabled.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "parse/imap/command.h"
#include "parse/imap/command_framer.h"

namespace bulwark::parse::imap {

struct ParseOptions {
  bool is_utf8_enabled = false;  // ENABLE UTF8=ACCEPT (RFC 6855) or IMAP4rev2 enabled (RFC 9051 6.3.1)
  char hierarchy_delimiter = '/';  // for INBOX normalization of "inbox/child"
};

[[nodiscard]] Result<Command> parse_command(std::string_view text, const ParseOptions& options = {});
[[nodiscard]] Result<Command> parse_command(const FramedCommand& framed, const ParseOptions& options = {});

// The tag of a command line if it is a valid tag (RFC 9051 9 "tag"), otherwise empty.
[[nodiscard]] std::string_view extract_tag(std::string_view text) noexcept;

// RFC 9051 6.3.13 / RFC 2177: the line that ends IDLE ("DONE", case-insensitive).
[[nodiscard]] bool is_idle_done(std::string_view line) noexcept;

// RFC 9051 6.2.2: a client line during AUTHENTICATE: "*" cancels (nullopt), else base64 (validated).
[[nodiscard]] Result<std::optional<std::string>> parse_authenticate_response(std::string_view line);

// Upper-case wire name of a command, "UID FETCH" for uid_fetch.
[[nodiscard]] std::string_view command_name_text(CommandName name) noexcept;

}  // namespace bulwark::parse::imap

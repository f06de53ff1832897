// Quoting helpers for the strings a server writes in responses (RFC 9051 4.3 strings, 4.5 NIL, 9 "astring",
// "nstring", "mailbox"; RFC 3516 literal8; RFC 6855 UTF-8 quoted strings).
//
// Contract: each function appends one token to `out` that a conforming client reads back as exactly `value`:
//  - an atom when that is unambiguous (write_astring only; never for "NIL"),
//  - a quoted string when every byte is a TEXT-CHAR (no NUL, CR, LF; 8-bit only as valid UTF-8 and only
//    when is_utf8_enabled) and the value is at most kMaxQuotedBytes,
//  - otherwise a literal "{n}\r\n" + bytes, or a literal8 "~{n}\r\n" when the value contains NUL (clients
//    accept literal8 only in BINARY responses; anything else with NUL has no valid IMAP form).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::parse::imap {

inline constexpr std::size_t kMaxQuotedBytes = 1024;

void write_quoted_or_literal(std::string& out, std::string_view value, bool is_utf8_enabled = false);
void write_astring(std::string& out, std::string_view value, bool is_utf8_enabled = false);
void write_nstring(std::string& out, std::optional<std::string_view> value, bool is_utf8_enabled = false);
void write_literal(std::string& out, std::string_view value);
void write_literal8(std::string& out, std::string_view value);

// A mailbox name given in UTF-8: modified UTF-7 unless is_utf8_enabled, then written as an astring.
// Fails only on invalid UTF-8 input.
[[nodiscard]] Status write_mailbox(std::string& out, std::string_view utf8_name, bool is_utf8_enabled = false);

}  // namespace bulwark::parse::imap

// Character classes and small helpers shared by the SMTP parsers (RFC 5321 4.1.2, RFC 5234 B.1,
// RFC 6531 3.3 UTF8-non-ascii, RFC 3461 4 xtext). Internal to bulwark_parse_smtp; not a public API.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::parse::smtp::detail {

constexpr bool is_alpha(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alnum(char c) noexcept { return is_alpha(c) || is_digit(c); }
constexpr bool is_hex(char c) noexcept {
  return is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}
constexpr bool is_8bit(char c) noexcept { return static_cast<unsigned char>(c) >= 0x80; }
// CTL per RFC 5234 B.1: %x00-1F / %x7F.
constexpr bool is_control(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}
// atext per RFC 5322 3.2.3, as RFC 5321 4.1.2 Atom uses it.
constexpr bool is_atext(char c) noexcept {
  if (is_alnum(c)) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-': case '/':
    case '=': case '?': case '^': case '_': case '`': case '{': case '|': case '}': case '~':
      return true;
    default:
      return false;
  }
}
constexpr char to_upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// ASCII case-insensitive equality (RFC 5321 2.4: verbs, keywords and argument values).
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_upper(a[i]) != to_upper(b[i])) return false;
  }
  return true;
}
constexpr bool istarts_with(std::string_view text, std::string_view prefix) noexcept {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::string to_upper(std::string_view text);

// Length of the well-formed UTF-8 sequence (RFC 3629 4) starting at text[pos], or 0 when it is ill-formed
// (overlong, surrogate, above U+10FFFF, truncated).
std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) noexcept;
bool is_valid_utf8(std::string_view text) noexcept;

// RFC 3461 4: xtext = *( xchar / hexchar ). With allow_utf8 (RFC 6531/6533) raw UTF8-non-ascii passes through.
// The decoded value must be printable: a control character after decoding is an error (it would be echoed
// into DSNs and logs), and a decoded 8-bit octet needs allow_utf8 and must leave well-formed UTF-8.
Result<std::string> decode_xtext(std::string_view text, bool allow_utf8);

}  // namespace bulwark::parse::smtp::detail

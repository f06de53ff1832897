// Locale-independent ASCII helpers shared by the MIME parsers. Bytes >= 0x80 are never altered, so these are
// safe on 8-bit and UTF-8 input (RFC 6532).
#pragma once

#include <string>
#include <string_view>

namespace bulwark::parse::mime {

constexpr bool is_wsp(char c) noexcept { return c == ' ' || c == '\t'; }
constexpr bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
constexpr char ascii_upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;
[[nodiscard]] std::string to_lower(std::string_view s);
[[nodiscard]] std::string to_upper(std::string_view s);
// Strips SP, HTAB, CR and LF from both ends.
[[nodiscard]] std::string_view trim(std::string_view s) noexcept;
// Value of a hex digit, or -1.
[[nodiscard]] int hex_value(char c) noexcept;

}  // namespace bulwark::parse::mime

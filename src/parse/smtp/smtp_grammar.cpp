#include "parse/smtp/smtp_grammar.h"

namespace bulwark::parse::smtp::detail {

std::string to_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = to_upper(c);
  return out;
}

std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) noexcept {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;   // overlong
    if (lead == 0xed) high = 0x9f;  // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;   // overlong
    if (lead == 0xf4) high = 0x8f;  // above U+10FFFF
  } else {
    return 0;
  }
  if (text.size() - pos < length) return 0;
  const unsigned char second = byte(pos + 1);
  if (second < low || second > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    const unsigned char next = byte(pos + i);
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}

bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t length = utf8_sequence_length(text, pos);
    if (length == 0) return false;
    pos += length;
  }
  return true;
}

namespace {
int hex_value(char c) noexcept {
  if (is_digit(c)) return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return c - 'a' + 10;
}
}  // namespace

Result<std::string> decode_xtext(std::string_view text, bool allow_utf8) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      if (text.size() - i < 3 || !is_hex(text[i + 1]) || !is_hex(text[i + 2])) {
        return fail(Errc::invalid_syntax, "bad xtext hex escape");
      }
      const char decoded = static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      if (is_control(decoded)) return fail(Errc::invalid_syntax, "control character in xtext");
      if (is_8bit(decoded) && !allow_utf8) return fail(Errc::invalid_syntax, "8-bit character in xtext");
      out.push_back(decoded);
      i += 2;
    } else if (c >= '!' && c <= '~' && c != '=') {
      out.push_back(c);
    } else if (allow_utf8 && is_8bit(c)) {
      out.push_back(c);
    } else {
      return fail(Errc::invalid_syntax, "invalid character in xtext");
    }
  }
  if (allow_utf8 && !is_valid_utf8(out)) return fail(Errc::invalid_syntax, "invalid UTF-8 in xtext");
  return out;
}

}  // namespace bulwark::parse::smtp::detail

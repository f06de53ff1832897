#include "parse/imap/mailbox_name.h"

#include <cstdint>

namespace bulwark::parse::imap {
namespace {

constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == ',') return 63;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes one UTF-8 scalar at text[pos]; returns false on invalid input.
bool next_code_point(std::string_view text, std::size_t& pos, std::uint32_t& cp) {
  const auto b0 = static_cast<unsigned char>(text[pos]);
  std::size_t len = 0;
  std::uint32_t min = 0;
  if (b0 < 0x80) {
    cp = b0;
    ++pos;
    return true;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return false;
  }
  if (pos + len > text.size()) return false;
  for (std::size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(text[pos + i]);
    if ((b & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  pos += len;
  return true;
}

bool equals_inbox(std::string_view s) {
  if (s.size() != 5) return false;
  constexpr std::string_view kInbox = "INBOX";
  for (std::size_t i = 0; i < 5; ++i) {
    const char c = (s[i] >= 'a' && s[i] <= 'z') ? static_cast<char>(s[i] - 32) : s[i];
    if (c != kInbox[i]) return false;
  }
  return true;
}

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t pos = 0;
  std::uint32_t cp = 0;
  while (pos < text.size()) {
    if (!next_code_point(text, pos, cp)) return false;
  }
  return true;
}

Result<std::string> decode_modified_utf7(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) return fail(Errc::invalid_syntax, "mailbox name: not 7-bit printable");
    if (c != '&') {
      out += c;
      ++pos;
      continue;
    }
    ++pos;
    if (pos < text.size() && text[pos] == '-') {
      out += '&';
      ++pos;
      continue;
    }
    std::uint32_t bits = 0;
    int bit_count = 0;
    std::uint32_t high_surrogate = 0;
    std::size_t units = 0;
    while (pos < text.size() && text[pos] != '-') {
      const int v = base64_value(text[pos]);
      if (v < 0) return fail(Errc::invalid_syntax, "mailbox name: bad modified base64");
      bits = (bits << 6) | static_cast<std::uint32_t>(v);
      bit_count += 6;
      ++pos;
      if (bit_count >= 16) {
        bit_count -= 16;
        const std::uint32_t unit = (bits >> bit_count) & 0xFFFF;
        bits &= (1u << bit_count) - 1;
        ++units;
        if (high_surrogate != 0) {
          if (unit < 0xDC00 || unit > 0xDFFF) return fail(Errc::invalid_syntax, "mailbox name: bad surrogate");
          append_utf8(out, 0x10000 + ((high_surrogate - 0xD800) << 10) + (unit - 0xDC00));
          high_surrogate = 0;
        } else if (unit >= 0xD800 && unit <= 0xDBFF) {
          high_surrogate = unit;
        } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
          return fail(Errc::invalid_syntax, "mailbox name: bad surrogate");
        } else if (unit >= 0x20 && unit <= 0x7e) {
          return fail(Errc::invalid_syntax, "mailbox name: printable ASCII must not be encoded");
        } else {
          append_utf8(out, unit);
        }
      }
    }
    if (pos >= text.size()) return fail(Errc::invalid_syntax, "mailbox name: unterminated & run");
    ++pos;  // '-'
    if (units == 0 || high_surrogate != 0 || bit_count >= 6 || bits != 0) {
      return fail(Errc::invalid_syntax, "mailbox name: bad modified base64");
    }
  }
  return out;
}

Result<std::string> encode_modified_utf7(std::string_view utf8) {
  std::string out;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    const auto u = static_cast<unsigned char>(utf8[pos]);
    if (u >= 0x20 && u <= 0x7e) {
      out += utf8[pos] == '&' ? std::string_view("&-") : utf8.substr(pos, 1);
      ++pos;
      continue;
    }
    out += '&';
    std::uint32_t bits = 0;
    int bit_count = 0;
    auto push_unit = [&](std::uint32_t unit) {
      bits = (bits << 16) | unit;
      bit_count += 16;
      while (bit_count >= 6) {
        bit_count -= 6;
        out += kBase64[(bits >> bit_count) & 0x3F];
      }
      bits &= (1u << bit_count) - 1;
    };
    while (pos < utf8.size()) {
      const auto b = static_cast<unsigned char>(utf8[pos]);
      if (b >= 0x20 && b <= 0x7e) break;
      std::uint32_t cp = 0;
      if (!next_code_point(utf8, pos, cp)) return fail(Errc::invalid_syntax, "mailbox name: invalid UTF-8");
      if (cp >= 0x10000) {
        push_unit(0xD800 + ((cp - 0x10000) >> 10));
        push_unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
      } else {
        push_unit(cp);
      }
    }
    if (bit_count > 0) out += kBase64[(bits << (6 - bit_count)) & 0x3F];
    out += '-';
  }
  return out;
}

std::string normalize_inbox(std::string name, char delimiter) {
  if (equals_inbox(name)) return "INBOX";
  if (name.size() > 5 && name[5] == delimiter && equals_inbox(std::string_view(name).substr(0, 5))) {
    name.replace(0, 5, "INBOX");
  }
  return name;
}

Result<std::string> mailbox_to_utf8(std::string_view wire_name, bool is_utf8_enabled) {
  if (is_utf8_enabled) {
    if (!is_valid_utf8(wire_name)) return fail(Errc::invalid_syntax, "mailbox name: invalid UTF-8");
    return std::string(wire_name);
  }
  return decode_modified_utf7(wire_name);
}

}  // namespace bulwark::parse::imap

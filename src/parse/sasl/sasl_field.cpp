#include "parse/sasl/sasl_field.h"

#include <string>

namespace bulwark::parse::sasl::detail {
namespace {

// RFC 3629 4: no overlongs, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xbf;
    if (lead < 0x80) {
      ++pos;
      continue;
    }
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead == 0xe0) low = 0xa0;
      if (lead == 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead == 0xf0) low = 0x90;
      if (lead == 0xf4) high = 0x8f;
    } else {
      return false;
    }
    if (text.size() - pos < length) return false;
    for (std::size_t i = 1; i < length; ++i) {
      const auto next = static_cast<unsigned char>(text[pos + i]);
      if (next < (i == 1 ? low : 0x80) || next > (i == 1 ? high : 0xbf)) return false;
    }
    pos += length;
  }
  return true;
}

}  // namespace

Status check_field(std::string_view value, std::string_view name, std::size_t max_octets) {
  if (value.size() > max_octets) return fail(Errc::too_big, std::string(name) + " too long");
  if (value.find('\0') != std::string_view::npos) return fail(Errc::invalid_syntax, "NUL in " + std::string(name));
  if (!is_valid_utf8(value)) return fail(Errc::invalid_syntax, "invalid UTF-8 in " + std::string(name));
  return ok();
}

}  // namespace bulwark::parse::sasl::detail

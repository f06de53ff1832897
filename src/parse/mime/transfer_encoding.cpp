#include "parse/mime/transfer_encoding.h"

#include <algorithm>
#include <cstdint>

#include "parse/mime/ascii.h"

namespace bulwark::parse::mime {
namespace {

int base64_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

TransferEncoding transfer_encoding_from_name(std::string_view name) noexcept {
  name = trim(name);
  if (name.empty() || iequals(name, "7bit") || iequals(name, "8bit") || iequals(name, "binary")) {
    return TransferEncoding::identity;
  }
  if (iequals(name, "base64")) return TransferEncoding::base64;
  if (iequals(name, "quoted-printable")) return TransferEncoding::quoted_printable;
  return TransferEncoding::unknown;
}

bool append_base64(std::string_view encoded, std::string& out, std::size_t max_output) {
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : encoded) {
    if (c == '=') break;  // padding ends the data
    const int value = base64_value(c);
    if (value < 0) continue;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    if (++count == 4) {
      if (out.size() + 3 > max_output) return false;
      out.push_back(static_cast<char>((bits >> 16) & 0xff));
      out.push_back(static_cast<char>((bits >> 8) & 0xff));
      out.push_back(static_cast<char>(bits & 0xff));
      bits = 0;
      count = 0;
    }
  }
  // A trailing group of 2 or 3 characters carries 1 or 2 bytes; a single character carries none.
  const int tail = count == 3 ? 2 : (count == 2 ? 1 : 0);
  if (out.size() + static_cast<std::size_t>(tail) > max_output) return false;
  if (count == 3) {
    bits <<= 6;
    out.push_back(static_cast<char>((bits >> 16) & 0xff));
    out.push_back(static_cast<char>((bits >> 8) & 0xff));
  } else if (count == 2) {
    bits <<= 12;
    out.push_back(static_cast<char>((bits >> 16) & 0xff));
  }
  return true;
}

Result<std::string> decode_base64(std::string_view encoded, std::size_t max_output) {
  std::string out;
  out.reserve(std::min(max_output, encoded.size() / 4 * 3 + 3));
  if (!append_base64(encoded, out, max_output)) return fail(Errc::too_big, "decoded body exceeds the limit");
  return out;
}

Result<std::string> decode_quoted_printable(std::string_view encoded, std::size_t max_output) {
  std::string out;
  out.reserve(std::min(max_output, encoded.size()));
  std::size_t pos = 0;
  while (pos < encoded.size()) {
    // One line at a time, so transport padding (trailing WSP) can be dropped (RFC 2045 6.7 rule 3).
    std::size_t line_end = encoded.find('\n', pos);
    const bool has_break = line_end != std::string_view::npos;
    if (!has_break) line_end = encoded.size();
    std::size_t content_end = line_end;
    if (has_break && content_end > pos && encoded[content_end - 1] == '\r') --content_end;
    while (content_end > pos && is_wsp(encoded[content_end - 1])) --content_end;
    bool is_soft_break = false;
    for (std::size_t i = pos; i < content_end; ++i) {
      char c = encoded[i];
      if (c == '=') {
        if (i + 1 == content_end) {  // "=" at the end of a line: soft line break (rule 5)
          is_soft_break = true;
          break;
        }
        if (i + 2 < content_end) {
          const int hi = hex_value(encoded[i + 1]);
          const int lo = hex_value(encoded[i + 2]);
          if (hi >= 0 && lo >= 0) {
            c = static_cast<char>(hi * 16 + lo);
            i += 2;
          }
        }
      }
      if (out.size() >= max_output) return fail(Errc::too_big, "decoded body exceeds the limit");
      out.push_back(c);
    }
    if (has_break && !is_soft_break) {
      if (out.size() + 2 > max_output) return fail(Errc::too_big, "decoded body exceeds the limit");
      out.append("\r\n");
    }
    pos = has_break ? line_end + 1 : encoded.size();
  }
  return out;
}

Result<std::string> decode_body(std::string_view encoding, std::string_view body, std::size_t max_output) {
  switch (transfer_encoding_from_name(encoding)) {
    case TransferEncoding::identity:
      if (body.size() > max_output) return fail(Errc::too_big, "body exceeds the limit");
      return std::string(body);
    case TransferEncoding::base64:
      return decode_base64(body, max_output);
    case TransferEncoding::quoted_printable:
      return decode_quoted_printable(body, max_output);
    case TransferEncoding::unknown:
      break;
  }
  return fail(Errc::invalid_argument, "unknown content-transfer-encoding");
}

}  // namespace bulwark::parse::mime

#include "parse/sasl/base64.h"

#include <array>
#include <cstdint>

namespace bulwark::parse::sasl {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::int8_t kInvalid = -1;

constexpr std::array<std::int8_t, 256> make_table() {
  std::array<std::int8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}

constexpr std::array<std::int8_t, 256> kTable = make_table();

int value_of(char c) noexcept { return kTable[static_cast<unsigned char>(c)]; }

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve(base64_encoded_length(bytes.size()));
  std::size_t pos = 0;
  const auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])); };
  for (; pos + 3 <= bytes.size(); pos += 3) {
    const std::uint32_t group = byte(pos) << 16 | byte(pos + 1) << 8 | byte(pos + 2);
    out.push_back(kAlphabet[group >> 18 & 63]);
    out.push_back(kAlphabet[group >> 12 & 63]);
    out.push_back(kAlphabet[group >> 6 & 63]);
    out.push_back(kAlphabet[group & 63]);
  }
  const std::size_t rest = bytes.size() - pos;
  if (rest == 1) {
    const std::uint32_t group = byte(pos) << 16;
    out.push_back(kAlphabet[group >> 18 & 63]);
    out.push_back(kAlphabet[group >> 12 & 63]);
    out.append("==");
  } else if (rest == 2) {
    const std::uint32_t group = byte(pos) << 16 | byte(pos + 1) << 8;
    out.push_back(kAlphabet[group >> 18 & 63]);
    out.push_back(kAlphabet[group >> 12 & 63]);
    out.push_back(kAlphabet[group >> 6 & 63]);
    out.push_back('=');
  }
  return out;
}

Result<std::string> base64_decode(std::string_view text, std::size_t max_decoded) {
  if (text.size() > base64_encoded_length(max_decoded)) return fail(Errc::too_big, "base64 data too long");
  if (text.size() % 4 != 0) return fail(Errc::invalid_syntax, "base64 length is not a multiple of 4");
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t pos = 0; pos < text.size(); pos += 4) {
    const bool is_last = pos + 4 == text.size();
    std::size_t padding = 0;
    if (is_last && text[pos + 3] == '=') padding = text[pos + 2] == '=' ? 2 : 1;
    std::uint32_t group = 0;
    for (std::size_t i = 0; i < 4 - padding; ++i) {
      const int value = value_of(text[pos + i]);
      if (value == kInvalid) return fail(Errc::invalid_syntax, "invalid base64 character");
      group = group << 6 | static_cast<std::uint32_t>(value);
    }
    group <<= 6 * padding;
    // Non-canonical: pad bits must be zero (RFC 4648 3.5).
    if ((padding == 1 && (group & 0xff) != 0) || (padding == 2 && (group & 0xffff) != 0)) {
      return fail(Errc::invalid_syntax, "non-canonical base64");
    }
    out.push_back(static_cast<char>(group >> 16 & 0xff));
    if (padding < 2) out.push_back(static_cast<char>(group >> 8 & 0xff));
    if (padding < 1) out.push_back(static_cast<char>(group & 0xff));
  }
  if (out.size() > max_decoded) return fail(Errc::too_big, "base64 data too long");
  return out;
}

}  // namespace bulwark::parse::sasl

// Strict base64 (RFC 4648 4) as SASL uses it on the wire (RFC 4954 4, RFC 4422 5).
//
// Decoding accepts only the canonical encoding: the 64-character alphabet, length a multiple of 4, "=" padding
// only at the end and only as much as needed, and zero pad bits (RFC 4648 3.5). Whitespace, line breaks,
// the URL-safe alphabet and missing padding are refused (RFC 4648 3.1-3.3). Input longer than
// base64_encoded_length(max_decoded) is refused before any work (Errc::too_big).
// Contract: pure, O(n), never throws on input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::parse::sasl {

// Default bound for one SASL message; RFC 4954 4 lets servers refuse longer lines (12288 octets with SMTP).
inline constexpr std::size_t kMaxDecodedOctets = 12288;

constexpr std::size_t base64_encoded_length(std::size_t decoded) noexcept { return (decoded + 2) / 3 * 4; }

[[nodiscard]] std::string base64_encode(std::string_view bytes);

// Errc::invalid_syntax for non-canonical or garbage input, Errc::too_big past max_decoded.
[[nodiscard]] Result<std::string> base64_decode(std::string_view text, std::size_t max_decoded = kMaxDecodedOctets);

}  // namespace bulwark::parse::sasl

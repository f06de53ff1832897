// Content-Transfer-Encoding decoders (RFC 2045 6.7 quoted-printable, 6.8 base64) for IMAP BINARY[]
// (RFC 3516) and for RFC 2047 encoded-words.
//
// Contract: tolerant like real MUAs (base64 skips line breaks and any byte outside the alphabet and stops at
// padding; quoted-printable keeps a malformed "=" as is and drops transport padding before line breaks), never
// throws, and never produces more than max_output bytes: beyond it the result is Errc::too_big.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::parse::mime {

enum class TransferEncoding { identity, base64, quoted_printable, unknown };

// "7bit", "8bit", "binary" and an absent (empty) value are identity; names are ASCII case-insensitive.
[[nodiscard]] TransferEncoding transfer_encoding_from_name(std::string_view name) noexcept;

[[nodiscard]] Result<std::string> decode_base64(std::string_view encoded, std::size_t max_output);
[[nodiscard]] Result<std::string> decode_quoted_printable(std::string_view encoded, std::size_t max_output);

// Decodes a body by its Content-Transfer-Encoding value. An unknown encoding is Errc::invalid_argument,
// which IMAP maps to [UNKNOWN-CTE] (RFC 3516 4.3).
[[nodiscard]] Result<std::string> decode_body(std::string_view encoding, std::string_view body,
                                              std::size_t max_output);

// Appends the base64 decoding of `encoded` to `out`, stopping at max_output bytes. Returns false if it stopped.
[[nodiscard]] bool append_base64(std::string_view encoded, std::string& out, std::size_t max_output);

}  // namespace bulwark::parse::mime

// RFC 2047 encoded-word decoding and charset conversion to UTF-8 (glibc iconv).
//
// Contract: decode_encoded_words() turns "=?charset[*lang]?B|Q?text?=" words into UTF-8 and drops linear
// whitespace between two adjacent encoded-words (RFC 2047 6.2). A word that is malformed, names an unknown
// charset, or does not convert is left exactly as written. Like common MUAs it also decodes words that touch
// other text. Text outside encoded-words is copied unchanged (it may be raw 8-bit, RFC 6532). Output is cut
// at max_output bytes. Never throws on input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::parse::mime {

inline constexpr std::size_t kMaxDecodedHeaderBytes = 64 * 1024;

[[nodiscard]] std::string decode_encoded_words(std::string_view text,
                                               std::size_t max_output = kMaxDecodedHeaderBytes);

// Converts bytes in a MIME charset (RFC 2978 names, case-insensitive) to UTF-8. US-ASCII and UTF-8 are copied
// (UTF-8 is not repaired). Errc::invalid_argument for an unknown or unsafe charset name, Errc::invalid_syntax
// for bytes invalid in that charset, Errc::too_big beyond max_output.
[[nodiscard]] Result<std::string> charset_to_utf8(std::string_view charset, std::string_view bytes,
                                                  std::size_t max_output = kMaxDecodedHeaderBytes);

}  // namespace bulwark::parse::mime

// The cached form of a parsed message structure: computed once at delivery, stored beside the message, and
// decoded to answer ENVELOPE, BODYSTRUCTURE and BODY[section] without re-parsing.
//
// Format (version 1, little-endian base-128 varints, strings as varint length + bytes):
//   "BWMS" version:u8 part
//   part := kind:u8 header_offset header_size body_size body_lines type subtype params
//           id? description? encoding? md5? location? disposition? languages envelope? children
// where x? is a presence byte (0/1) followed by x. body_offset is header_offset + header_size.
//
// Contract: decode_structure(encode_structure(p)) == p for every Part that parse_message() returns.
// decode_structure() accepts any bytes and never throws: a wrong magic or version, truncation, trailing bytes,
// an impossible value (kind, child count for the kind, ranges that overflow or leave their parent's body,
// depth beyond kMaxCacheDepth) are Errc::invalid_syntax.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "parse/mime/message_structure.h"

namespace bulwark::parse::mime {

inline constexpr std::uint8_t kStructureCacheVersion = 1;
inline constexpr std::size_t kMaxCacheDepth = 256;

[[nodiscard]] std::string encode_structure(const Part& root);
[[nodiscard]] Result<Part> decode_structure(std::string_view bytes);

}  // namespace bulwark::parse::mime

// IMAP section addressing (RFC 9051 6.4.5 BODY[<section>], 9 "section-spec"; RFC 3516 BINARY[]):
// parsing a section spec and mapping it to a byte range of the raw message through a parsed Part tree.
//
// Contract: part numbers follow RFC 9051 6.4.5: in a multipart, n is the n-th body part; a part that is not
// multipart has only part 1, itself (so "1" of a single-part message is its body); after a message/rfc822 or
// message/global part the numbers continue in the embedded message. HEADER, HEADER.FIELDS[.NOT] and TEXT
// with part numbers need a message/rfc822 (or message/global) part; MIME needs part numbers. A part that does
// not exist is Errc::not_found; a bad spec is Errc::invalid_syntax. Ranges are within the root part's extent.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "parse/mime/message_structure.h"

namespace bulwark::parse::mime {

enum class SectionText : std::uint8_t { none, header, header_fields, header_fields_not, text, mime };

struct SectionSpec {
  std::vector<std::uint32_t> part;  // "1.2.3" -> {1, 2, 3}; empty for the whole message
  SectionText text = SectionText::none;
  std::vector<std::string> fields;  // HEADER.FIELDS[.NOT] names, as written
  bool operator==(const SectionSpec&) const = default;
};

struct ByteRange {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  bool operator==(const ByteRange&) const = default;
};

// Parses the text between '[' and ']', e.g. "", "1.2", "1.2.MIME", "HEADER.FIELDS (From To)".
[[nodiscard]] Result<SectionSpec> parse_section_spec(std::string_view spec);

// The bytes the section names. For HEADER.FIELDS[.NOT] it is the header block the fields are taken from
// (pass that block to filter_header_fields()).
[[nodiscard]] Result<ByteRange> section_range(const Part& root, const SectionSpec& spec);

// HEADER.FIELDS / HEADER.FIELDS.NOT: the fields of `header_block` whose name is (or, with is_not, is not) in
// `names`, verbatim and in order, followed by the empty line (CRLF) that ends a header.
[[nodiscard]] std::string filter_header_fields(std::string_view header_block, std::span<const std::string> names,
                                               bool is_not);

}  // namespace bulwark::parse::mime

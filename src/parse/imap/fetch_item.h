// FetchItem: one data item of FETCH / UID FETCH (RFC 9051 6.4.5, 9 "fetch-att"; RFC 3516 BINARY;
// RFC 7162 3.1.4 MODSEQ).
//
// Contract: macros (ALL FAST FULL) are expanded by the parser; `section` is set for body_section,
// body_peek, binary, binary_peek, binary_size; `partial` only where the grammar allows it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bulwark::parse::imap {

enum class FetchAttribute {
  flags,
  internaldate,
  rfc822_size,
  envelope,
  body,           // BODY without section: non-extensible BODYSTRUCTURE
  bodystructure,
  uid,
  modseq,
  rfc822,         // = BODY[]
  rfc822_header,  // = BODY.PEEK[HEADER]
  rfc822_text,    // = BODY[TEXT]
  body_section,   // BODY[section]<partial>
  body_peek,      // BODY.PEEK[section]<partial>
  binary,         // BINARY[part]<partial>
  binary_peek,    // BINARY.PEEK[part]<partial>
  binary_size,    // BINARY.SIZE[part]
};

enum class SectionText {
  none,               // BODY[1.2] or BODY[]
  header,             // HEADER
  header_fields,      // HEADER.FIELDS (a b)
  header_fields_not,  // HEADER.FIELDS.NOT (a b)
  text,               // TEXT
  mime,               // MIME (only after a part number)
};

struct Section {
  std::vector<std::uint32_t> part;  // "1.2.3" -> {1, 2, 3}; empty for the whole message
  SectionText text = SectionText::none;
  std::vector<std::string> header_fields;
  friend bool operator==(const Section&, const Section&) = default;
};

struct Partial {
  std::uint64_t offset = 0;
  std::uint64_t count = 0;  // nz-number64 (RFC 9051; nz-number in RFC 3501)
  friend bool operator==(const Partial&, const Partial&) = default;
};

struct FetchItem {
  FetchAttribute attribute = FetchAttribute::flags;
  Section section;
  std::optional<Partial> partial;
  friend bool operator==(const FetchItem&, const FetchItem&) = default;
};

}  // namespace bulwark::parse::imap

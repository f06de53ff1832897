// The MIME structure of a message (RFC 2045, RFC 2046 5.1 multipart, 5.2.1 message/rfc822, RFC 6532
// message/global): a tree of parts with byte ranges into the raw message and the fields IMAP BODYSTRUCTURE
// reports (RFC 9051 7.5.2). Computed once at delivery and cached (structure_cache.h).
//
// Contract: parse_message() accepts any bytes (CRLF or bare LF, 8-bit, malformed headers, missing final
// boundary, preamble and epilogue) and never throws. It fails only with Errc::too_big above max_message_bytes
// (IMAP sizes are 32-bit numbers). Work is bounded: a multipart or message part deeper than max_depth, or
// met once about max_parts parts exist, is not descended: it is reported as text/plain (its parameters kept),
// and any remaining parts of a multipart become one such opaque last part.
// Defaults (RFC 2045 5.2, RFC 2046 5.1.5): no or invalid Content-Type is text/plain; charset=US-ASCII, inside
// multipart/digest message/rfc822. A multipart without a boundary is opaque; one whose boundary never occurs
// has no children (the IMAP writer then reports an empty text/plain part, as Dovecot does).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "parse/mime/content_type.h"
#include "parse/mime/envelope.h"
#include "parse/mime/header.h"

namespace bulwark::parse::mime {

struct StructureLimits {
  std::size_t max_depth = 32;
  std::size_t max_parts = 2000;
  std::uint64_t max_message_bytes = 0xffffffffU;
  HeaderLimits header;
};

enum class PartKind : std::uint8_t {
  leaf,       // no children
  multipart,  // children are the body parts, in order
  message,    // message/rfc822 or message/global: exactly one child, the embedded message
};

struct Part {
  PartKind kind = PartKind::leaf;
  // Byte ranges in the raw message. The header includes the empty line that ends it; body_offset is
  // header_offset + header_size. A multipart body part excludes the line break before the next delimiter
  // (RFC 2046 5.1.1).
  std::uint64_t header_offset = 0;
  std::uint64_t header_size = 0;
  std::uint64_t body_offset = 0;
  std::uint64_t body_size = 0;
  std::uint64_t body_lines = 0;  // LF count, plus one if the body does not end with LF
  std::string type = "text";     // lower-case
  std::string subtype = "plain";
  std::vector<Parameter> params;
  std::optional<std::string> id;           // Content-ID
  std::optional<std::string> description;  // Content-Description, raw
  std::optional<std::string> encoding;     // Content-Transfer-Encoding, lower-case; nullopt means 7bit
  std::optional<std::string> md5;          // Content-MD5
  std::optional<Disposition> disposition;  // RFC 2183
  std::vector<std::string> language;       // RFC 3282
  std::optional<std::string> location;     // RFC 2557
  std::optional<Envelope> envelope;        // on the top part of a message: the root and each embedded one
  std::vector<Part> children;
  bool operator==(const Part&) const = default;
};

[[nodiscard]] Result<Part> parse_message(std::string_view raw, const StructureLimits& limits = {});

// Number of lines as reported in BODYSTRUCTURE (see Part::body_lines).
[[nodiscard]] std::uint64_t count_lines(std::string_view text) noexcept;

}  // namespace bulwark::parse::mime

// IMAP wire forms of the MIME structure: ENVELOPE, BODYSTRUCTURE (extensible, with extension data) and BODY
// (non-extensible), RFC 9051 7.5.2 and 9 (body, body-type-1part, body-ext-1part, body-ext-mpart, envelope).
//
// Contract: the output is exactly what follows "ENVELOPE " / "BODYSTRUCTURE " / "BODY " in a FETCH response.
// Strings are quoted (with \" and \\ escapes) when they are at most kMaxQuotedBytes of 7-bit text without
// CR or LF, otherwise sent as a literal "{n}\r\n..."; NUL bytes, which no IMAP string may carry, are dropped.
// Case follows the RFC 9051 examples (also Cyrus): type, subtype, transfer encoding and parameter names are
// upper-case, other values as written; defaults are "TEXT" "PLAIN" ("CHARSET" "US-ASCII") and "7BIT", and a
// text part without a charset parameter reports "CHARSET" "US-ASCII" (RFC 2046 4.1.2; Dovecot does too). A
// multipart without parts reports one empty text/plain part, as Dovecot does, so the output stays valid.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "parse/mime/envelope.h"
#include "parse/mime/message_structure.h"

namespace bulwark::parse::mime {

inline constexpr std::size_t kMaxQuotedBytes = 1024;

// Appends an IMAP string: quoted or literal.
void append_imap_string(std::string& out, std::string_view value);
// Appends an IMAP nstring: NIL for nullopt.
void append_imap_nstring(std::string& out, const std::optional<std::string>& value);

[[nodiscard]] std::string write_envelope(const Envelope& envelope);
// BODYSTRUCTURE when is_extensible, else BODY.
[[nodiscard]] std::string write_body_structure(const Part& root, bool is_extensible);

}  // namespace bulwark::parse::mime

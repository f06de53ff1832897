// DKIM canonicalization, RFC 6376 3.4.2 (relaxed header) and 3.4.4 (relaxed body), and the split of a message
// into header fields and body that signing needs (5.4.2: fields chosen bottom-up per name). Pure, I/O-free,
// no crypto; the signer (src/delivery/dkim_signer) hashes what this produces. Fuzzed in test/fuzz/dkim.
//
// Input may use CRLF or bare LF line ends (a bare LF counts as a line end, as most verifiers do); output always
// uses CRLF.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bulwark::parse::dkim {

struct HeaderField {
  std::string_view name;   // as written, before the colon
  std::string_view raw;    // the whole field including its folded continuation lines, without the final line end
};

struct SplitMessage {
  std::vector<HeaderField> fields;  // in message order
  std::string_view body;            // after the empty line; empty when there is none
};

// Splits at the first empty line. Lines before it that are neither "name:" fields nor continuations are
// skipped (they cannot be signed).
SplitMessage split_message(std::string_view message);

// RFC 6376 3.4.2: lower-case name, unfolded value, runs of WSP as one SP, no WSP at the value's ends or around
// the colon; "name:value\r\n".
std::string relaxed_header(std::string_view raw_field);
// RFC 6376 3.4.4: WSP runs as one SP, no WSP at line ends, no empty lines at the end, CRLF after a non-empty
// body; an empty body stays empty.
std::string relaxed_body(std::string_view body);

// RFC 6376 5.4.2: for each name in `names` (case-insensitive, in order), the last not yet used field of that
// name; names without one more instance are skipped. Returns the fields to sign, in signing order, and fills
// `signed_names` with the h= list (lower case) that matches.
std::vector<HeaderField> select_fields(const SplitMessage& message, const std::vector<std::string>& names,
                                       std::vector<std::string>* signed_names);

}  // namespace bulwark::parse::dkim

// The text SEARCH BODY / TEXT / header keys look at (RFC 9051 6.4.4: "string ... contained in the body"), as a
// user would read it: text/* parts with their Content-Transfer-Encoding (quoted-printable, base64) undone
// and their charset converted to UTF-8; RFC 2047 encoded-words in headers decoded; embedded message/rfc822
// headers count as body text. Non-text leaves (attachments) are not searched. Matching folds case for ASCII
// and for the Latin-1, Latin Extended-A, Greek and Cyrillic letters (simple case folding), which RFC 9051
// 6.4.4 leaves to the server ("MAY" for non-ASCII); i;unicode-casemap in full would need ICU.
//
// Contract: pure, never throws; bounded: at most `max_bytes` of text per message are produced (the first ones;
// `[limits] max_search_text_size`, default kMaxSearchTextBytes).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bulwark::protocol::imap {

inline constexpr std::size_t kMaxSearchTextBytes = 32 * 1024 * 1024;

// Case-folded UTF-8 (see above); invalid UTF-8 bytes are copied.
[[nodiscard]] std::string fold_for_search(std::string_view utf8);

// The decoded body text of a whole raw message (see above), not folded.
[[nodiscard]] std::string searchable_body(std::string_view raw, std::size_t max_bytes = kMaxSearchTextBytes);

// A header block (or one field value) with encoded-words decoded and folding removed, not folded.
[[nodiscard]] std::string searchable_header(std::string_view header_block,
                                            std::size_t max_bytes = kMaxSearchTextBytes);

// What the search index (store/sqlite/search_index.h) keeps for a raw message: the folded header text (as
// SEARCH TEXT looks at it), a newline, the folded body text (as BODY and TEXT look at it), each cut at
// `max_bytes` exactly as the matcher cuts them, so that a needle the matcher finds is in this text.
[[nodiscard]] std::string index_text(std::string_view raw, std::size_t max_bytes);

}  // namespace bulwark::protocol::imap

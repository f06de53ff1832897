// The data items of one FETCH response (RFC 9051 6.4.5, 7.5.2; RFC 3516 BINARY; RFC 7162 MODSEQ), built from
// what the session loaded for one message. Pure: no store, no I/O.
//
// Contract: write_fetch_items() writes "ITEM value ITEM value ..." (without "* n FETCH (" and ")") for the
// requested items in request order, UID first when include_uid and it was not requested, FLAGS when
// include_flags and it was not requested (the implicit \Seen of RFC 9051 6.4.5), MODSEQ when include_modseq
// (CONDSTORE). A body section that does not exist is NIL. BINARY of a part whose transfer encoding is unknown
// fails with Errc::invalid_argument, which the session answers with NO [UNKNOWN-CTE] (RFC 3516 4.3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "parse/imap/fetch_item.h"
#include "parse/mime/message_structure.h"
#include "protocol/imap/rendered_structure_cache.h"

namespace bulwark::protocol::imap {

struct FetchSource {
  std::uint32_t uid = 0;
  std::uint64_t modseq = 0;
  const std::vector<std::string>* flags = nullptr;
  std::int64_t internal_date = 0;
  std::uint64_t size = 0;
  const parse::mime::Part* structure = nullptr;  // when needs_structure(), unless `rendered` is enough
  // ENVELOPE, BODY and BODYSTRUCTURE already rendered (rendered_structure_cache.h); used instead of `structure`
  // for those three items when set.
  const RenderedStructure* rendered = nullptr;
  std::string_view raw;                          // when needs_raw()
};

struct FetchOptions {
  bool include_uid = false;
  bool include_flags = false;
  bool include_modseq = false;
};

[[nodiscard]] bool needs_record(const std::vector<parse::imap::FetchItem>& items);  // date, size, structure
[[nodiscard]] bool needs_structure(const std::vector<parse::imap::FetchItem>& items);
// True when the structure is needed only for ENVELOPE, BODY and BODYSTRUCTURE, so a RenderedStructure will do.
[[nodiscard]] bool needs_only_rendered_structure(const std::vector<parse::imap::FetchItem>& items);
// The three strings for `root` (what write_fetch_items() would write for those items).
[[nodiscard]] RenderedStructure render_structure(const parse::mime::Part& root);
[[nodiscard]] bool needs_raw(const std::vector<parse::imap::FetchItem>& items);
// True when every item that needs the raw bytes reads only the message's own header section (BODY[HEADER],
// BODY[HEADER.FIELDS (...)], .NOT, RFC822.HEADER, PEEK or not): the message list of every mail client.
[[nodiscard]] bool needs_only_top_header(const std::vector<parse::imap::FetchItem>& items);
// True when an item sets \Seen (BODY[...], RFC822, RFC822.TEXT, BINARY[...]; not the .PEEK forms).
[[nodiscard]] bool sets_seen(const std::vector<parse::imap::FetchItem>& items);
[[nodiscard]] bool requests(const std::vector<parse::imap::FetchItem>& items, parse::imap::FetchAttribute attribute);

[[nodiscard]] Result<std::string> write_fetch_items(const std::vector<parse::imap::FetchItem>& items,
                                                    const FetchSource& source, const FetchOptions& options);

// The part a BINARY section names (RFC 9051 6.4.5 part numbering); nullptr when there is none.
[[nodiscard]] const parse::mime::Part* find_part(const parse::mime::Part& root, const std::vector<std::uint32_t>& path);

}  // namespace bulwark::protocol::imap

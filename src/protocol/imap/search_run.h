// Runs a SEARCH criterion over the selected mailbox's messages for SEARCH, SORT and THREAD (RFC 9051 6.4.4,
// RFC 5256 3). Blocking (store reads): call it through net::run_blocking.
//
// Contract: `messages` is the session's view (sequence-number order); hits come back in that order. A message
// expunged by another session since the view was taken matches only keys that need no content. The raw
// message is read only when a key needs it or when `load` asks for the header; kept structure and header
// strings are empty otherwise.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "parse/imap/search_key.h"
#include "store/mail_store.h"

namespace bulwark::protocol::imap {

struct SearchHit {
  std::uint32_t seq = 0;
  std::uint32_t uid = 0;
  std::uint64_t modseq = 0;
  std::int64_t internal_date = 0;
  std::uint64_t size = 0;
  std::string structure;  // the cached MIME structure, when load.keep_structure
  std::string header;     // the raw top-level header block, when load.keep_header
};

struct SearchLoad {
  bool keep_structure = false;
  bool keep_header = false;
  std::size_t max_text_bytes = 32ULL << 20;  // [limits] max_search_text_size
  std::size_t* messages_read = nullptr;       // when set: counts the messages read for their content
};

[[nodiscard]] Result<std::vector<SearchHit>> run_search(store::MailStore& mail, const store::Principal& who,
                                                        store::MailboxRef ref,
                                                        const std::vector<store::MessageFlags>& messages,
                                                        const parse::imap::SearchKey& key, SearchLoad load);

// Replaces every "$" (RFC 5182 SEARCHRES) in the criterion by the saved UIDs, as if they were written there.
void substitute_saved(parse::imap::SearchKey& key, const std::vector<std::uint32_t>& saved_uids);

// CHARSET values SEARCH, SORT and THREAD accept (RFC 9051 6.4.4: UTF-8 and US-ASCII); anything else is
// answered NO [BADCHARSET (UTF-8)].
[[nodiscard]] bool is_supported_search_charset(std::string_view upper_case_charset) noexcept;
inline constexpr std::string_view kBadCharsetReply = "[BADCHARSET (UTF-8)] Unsupported charset";

}  // namespace bulwark::protocol::imap

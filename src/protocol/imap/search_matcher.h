// Evaluates an IMAP SEARCH criterion (RFC 9051 6.4.4) against one message. Pure: the session loads what the
// keys need (flags and sizes always; the raw message only when needs_content()) and calls matches().
// Text keys are case-insensitive substring matches on decoded text (search_text.h): header keys on the
// RFC 2047-decoded value, BODY and TEXT on the decoded text parts. Dates compare calendar days: INTERNALDATE in UTC, the Date
// header in its own zone. RECENT and NEW match nothing (no \Recent in IMAP4rev2), OLD everything.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parse/imap/search_key.h"

namespace bulwark::protocol::imap {

struct SearchMessage {
  std::uint32_t seq = 0;
  std::uint32_t uid = 0;
  std::uint64_t modseq = 0;
  std::int64_t internal_date = 0;  // Unix seconds
  std::uint64_t size = 0;
  const std::vector<std::string>* flags = nullptr;
  std::string_view raw;  // the whole message, when needs_content() said so
};

struct SearchScope {
  std::uint32_t largest_seq = 0;  // for "*" in sequence sets
  std::uint32_t largest_uid = 0;
  std::size_t max_text_bytes = 32ULL << 20;  // search_text.h: decoded text looked at per message
};

[[nodiscard]] bool needs_content(const parse::imap::SearchKey& key);
[[nodiscard]] bool uses_modseq(const parse::imap::SearchKey& key);
[[nodiscard]] bool matches(const parse::imap::SearchKey& key, const SearchMessage& message, const SearchScope& scope);

}  // namespace bulwark::protocol::imap

// SearchKey: the tree of an IMAP SEARCH / SORT / THREAD criterion (RFC 9051 6.4.4, 9 "search-key";
// RFC 7162 3.1.5 MODSEQ; RFC 5182 "$").
//
// Contract: a SearchKey is a node; `and_all` holds a parenthesized list (and the implicit AND of the top-level
// keys), `or_either` exactly two children, `not_one` exactly one. Leaf data lives in the field the kind names.
// Trees are at most kMaxSearchDepth deep (parse error beyond).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parse/imap/date_time.h"
#include "parse/imap/sequence_set.h"

namespace bulwark::parse::imap {

inline constexpr int kMaxSearchDepth = 64;

enum class SearchKeyKind {
  and_all,      // "(" search-key *(SP search-key) ")" and the top level
  or_either,    // OR a b
  not_one,      // NOT a
  all,
  answered, deleted, draft, flagged, seen, recent, new_, old,             // flags and RFC 3501 shorthands
  unanswered, undeleted, undraft, unflagged, unseen,
  keyword, unkeyword,      // text = flag keyword
  bcc, body, cc, from, subject, text, to,  // text = string
  header,                  // header_field, text
  before, on, since, sent_before, sent_on, sent_since,  // date
  larger, smaller,         // number
  uid,                     // sequence_set
  sequence_set,            // sequence_set (message numbers, or $)
  modseq,                  // number = mod-sequence; optional entry name/type
};

enum class ModseqEntryType { private_, shared, all };

struct SearchKey {
  SearchKeyKind kind = SearchKeyKind::all;
  std::string header_field;
  std::string text;
  Date date;
  std::uint64_t number = 0;
  SequenceSet sequence_set;
  std::optional<std::string> modseq_entry_name;  // RFC 7162: "/flags/\\draft"
  ModseqEntryType modseq_entry_type = ModseqEntryType::all;
  std::vector<SearchKey> children;

  friend bool operator==(const SearchKey&, const SearchKey&) = default;
};

}  // namespace bulwark::parse::imap

// SORT ordering (RFC 5256 3; RFC 5957 DISPLAYFROM/DISPLAYTO): the sort values of each message and the order the
// criteria give. Pure; the session builds SortValues from the cached ENVELOPE (sort_values()) and INTERNALDATE.
//
// Contract: strings compare with i;ascii-casemap; a message without the field sorts as the empty string; a
// message whose sort values are all equal to another's is ordered by message number (RFC 5256 3: "sequence
// number"), which is also the order in which sort() receives them. sort() is stable and O(n log n).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parse/imap/command.h"
#include "parse/mime/envelope.h"

namespace bulwark::protocol::imap {

struct SortValues {
  std::uint32_t number = 0;       // what the answer lists (sequence number or UID)
  std::int64_t arrival = 0;       // INTERNALDATE, Unix seconds
  std::int64_t sent_date = 0;     // Date header in UTC, else INTERNALDATE (RFC 5256 2.2)
  std::uint64_t size = 0;         // RFC822.SIZE
  std::string subject;            // base subject (RFC 5256 2.1)
  std::string from, to, cc;       // addr-mailbox (local part) of the first address
  std::string display_from, display_to;  // RFC 5957 3: decoded display-name, else "mailbox@host"
};

// Fills every field except number, arrival and size from the envelope.
void fill_sort_values(const parse::mime::Envelope& envelope, std::int64_t internal_date, SortValues& values);

// The numbers in the order the criteria give.
[[nodiscard]] std::vector<std::uint32_t> sort_numbers(std::vector<SortValues> messages,
                                                      const std::vector<parse::imap::SortCriterion>& criteria);

// An RFC 5322 date-time ("Tue, 1 Jul 2003 10:52:37 +0200", obsolete forms and zone names of 4.3 included) in
// Unix seconds (UTC). nullopt when it cannot be read.
[[nodiscard]] std::optional<std::int64_t> rfc5322_date_time(std::string_view value);

}  // namespace bulwark::protocol::imap

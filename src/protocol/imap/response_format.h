// Pure formatting helpers for IMAP responses (RFC 9051 7): flag lists, compact UID sets (RFC 4315 COPYUID,
// RFC 4731 ESEARCH ALL), INTERNALDATE, and dates converted between IMAP and Unix time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parse/imap/date_time.h"

namespace bulwark::protocol::imap {

// "(\Seen $Label)"; flags are atoms already checked by the store.
[[nodiscard]] std::string flag_list(const std::vector<std::string>& flags);

// Numbers as a sequence set, adjacent numbers merged into ranges: {1,2,3,5} -> "1:3,5". With sort, the input is
// sorted and de-duplicated first; without, its order is kept (COPYUID source and destination sets correspond).
[[nodiscard]] std::string number_set(std::vector<std::uint32_t> numbers, bool sort = true);

// INTERNALDATE as written in FETCH: "\"17-Jul-1996 09:44:25 +0000\"" (UTC).
[[nodiscard]] std::string format_internal_date(std::int64_t unix_seconds);

// An IMAP date-time to Unix seconds; nullopt when out of range.
[[nodiscard]] std::optional<std::int64_t> to_unix_seconds(const parse::imap::DateTime& value);

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
[[nodiscard]] std::int64_t days_from_civil(int year, int month, int day) noexcept;

// The UTC calendar day (days since the epoch) of a Unix time.
[[nodiscard]] std::int64_t unix_day(std::int64_t unix_seconds) noexcept;

// The calendar day of an RFC 5322 Date: header value ("Tue, 1 Jul 2003 10:52:37 +0200"), in its own zone
// (RFC 9051 SENTBEFORE/SENTON/SENTSINCE ignore time and zone). nullopt when it cannot be read.
[[nodiscard]] std::optional<std::int64_t> rfc5322_day(std::string_view date);

}  // namespace bulwark::protocol::imap

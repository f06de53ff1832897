// IMAP dates (RFC 9051 9: "date", "date-time") for SEARCH, APPEND and INTERNALDATE.
//
// Contract: parse_date() accepts date-text ("1-Feb-1994", day 1 or 2 digits) with or without DQUOTEs;
// parse_date_time() accepts the quoted date-time ("17-Jul-1996 02:44:25 -0700", day padded by SP or 0).
// Month names are case-insensitive. The calendar is checked (no 31-Apr, 29-Feb only in leap years).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::parse::imap {

struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  friend bool operator==(const Date&, const Date&) = default;
};

struct DateTime {
  Date date;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int zone_minutes = 0;  // offset east of UTC, -0700 is -420
  friend bool operator==(const DateTime&, const DateTime&) = default;
};

[[nodiscard]] Result<Date> parse_date(std::string_view text);
[[nodiscard]] Result<DateTime> parse_date_time(std::string_view text);

// "17-Jul-1996 02:44:25 -0700" with the DQUOTEs, as INTERNALDATE is written (RFC 9051 7.5.2).
[[nodiscard]] std::string format_date_time(const DateTime& value);

}  // namespace bulwark::parse::imap

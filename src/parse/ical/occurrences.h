// The occurrences of a stored calendar object within a time range, through libical: RRULE, RDATE, EXDATE,
// overridden instances (RECURRENCE-ID) and time zones (VTIMEZONE in the object, else the system's zoneinfo).
// Expansion is bounded: at most `max_instances` occurrences are generated per object; a rule that would produce
// more (FREQ=SECONDLY for years) is cut there, and the result says so. Floating times are taken as UTC.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bulwark::parse::ical {

struct TimeRange {
  std::int64_t start = 0;  // UTC seconds, inclusive
  std::int64_t end = 0;    // exclusive
};

struct Occurrence {
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::int64_t recurrence_id = 0;  // the instance's original start (UTC)
  bool is_override = false;        // from a component with RECURRENCE-ID
  bool is_transparent = false;     // TRANSP:TRANSPARENT or STATUS:CANCELLED (free/busy ignores it)
};

struct OccurrenceSet {
  std::vector<Occurrence> items;  // sorted by start
  bool truncated = false;         // the expansion limit was reached
};

// Occurrences of `component` (VEVENT, VTODO, VJOURNAL) that overlap `range` (RFC 4791 9.9 rules).
[[nodiscard]] Result<OccurrenceSet> occurrences_in(std::string_view text, std::string_view component,
                                                   TimeRange range, std::size_t max_instances);

// Does the calendar object have an occurrence of `component` overlapping `range`?
[[nodiscard]] Result<bool> overlaps(std::string_view text, std::string_view component, TimeRange range,
                                    std::size_t max_instances);

// Does any `component` of the object have a property `property` whose value contains `needle` (ASCII
// case-insensitive, RFC 4790 i;ascii-casemap)? With an empty needle: is the property defined at all?
[[nodiscard]] Result<bool> property_matches(std::string_view text, std::string_view component,
                                            std::string_view property, std::string_view needle);

// Parses "20260101T000000Z" (UTC date-time, RFC 4791 9.9) into UTC seconds.
[[nodiscard]] Result<std::int64_t> parse_utc_time(std::string_view text);
std::string format_utc_time(std::int64_t seconds);

}  // namespace bulwark::parse::ical

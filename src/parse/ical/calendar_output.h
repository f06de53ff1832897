// Calendar data the server writes: an object with its recurrences expanded (RFC 4791 9.6.5 `expand`), and the
// VFREEBUSY answer of a free-busy-query REPORT (RFC 4791 7.10).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "parse/ical/occurrences.h"

namespace bulwark::parse::ical {

// The object with every occurrence in `range` as its own component in UTC with a RECURRENCE-ID, and no
// RRULE/RDATE/EXDATE/VTIMEZONE.
[[nodiscard]] Result<std::string> expand_object(std::string_view text, std::string_view component, TimeRange range,
                                                std::size_t max_instances);

// Busy periods clipped to `range`, sorted, with overlapping and touching ones merged; empty ones dropped.
std::vector<std::pair<std::int64_t, std::int64_t>> merge_busy(std::vector<std::pair<std::int64_t, std::int64_t>> busy,
                                                              TimeRange range);
// A VCALENDAR with one VFREEBUSY listing the busy periods, merged and clipped to `range`.
std::string free_busy_calendar(std::vector<std::pair<std::int64_t, std::int64_t>> busy, TimeRange range);

}  // namespace bulwark::parse::ical

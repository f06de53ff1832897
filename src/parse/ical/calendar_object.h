// iCalendar object resources as CalDAV stores them (RFC 4791 4.1): one VCALENDAR holding components of one type
// (VEVENT, VTODO, VJOURNAL) that share one UID (a master and its overridden instances), plus VTIMEZONEs.
// Parsing is libical's; this adds the checks CalDAV requires and the span the object covers, so the store can
// pre-filter time-range queries. Recurrence expansion is bounded (occurrences.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::parse::ical {

struct CalendarLimits {
  std::size_t max_bytes = 1 << 20;
  std::size_t max_instances = 20000;  // occurrences examined per object before the expansion is cut
};

// Why a PUT was refused, in the terms of RFC 4791 5.3.2.1 preconditions.
struct CalendarProblem {
  std::string precondition;  // "valid-calendar-data", "valid-calendar-object-resource", "supported-calendar-component"
  std::string detail;        // for the client: what is wrong
};

struct CalendarObject {
  std::string uid;
  std::string component;  // VEVENT, VTODO or VJOURNAL
  std::int64_t start = 0;  // first occurrence start, UTC seconds
  std::int64_t end = 0;    // last occurrence end; INT64_MAX when unbounded (or cut at the limit)
  bool is_recurring = false;
};

// Validates `text` as a CalDAV calendar object resource whose component is one of `supported` ("VEVENT,VTODO").
[[nodiscard]] tl::expected<CalendarObject, CalendarProblem> check_calendar_object(std::string_view text,
                                                                                  std::string_view supported,
                                                                                  const CalendarLimits& limits);

// Makes sure libical reports errors instead of aborting. Idempotent, call once at start-up.
void init_libical();

}  // namespace bulwark::parse::ical

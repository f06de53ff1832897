// Shared by the files of this folder only: libical handles and the bounded occurrence walk.
#pragma once

#include <libical/ical.h>

#include <memory>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "parse/ical/occurrences.h"

namespace bulwark::parse::ical::detail {

struct ComponentDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentDeleter>;

// Parses a VCALENDAR; invalid_syntax when libical cannot make one out of the text.
Result<ComponentPtr> parse_calendar(std::string_view text);
icalcomponent_kind kind_of(std::string_view component);  // ICAL_NO_COMPONENT when unknown

struct RawOccurrence {
  Occurrence occurrence;
  icalcomponent* source = nullptr;  // the master or the override it came from
};

// Every occurrence of components of `kind` in `root` overlapping `range`, at most `max_instances` examined.
std::vector<RawOccurrence> walk_occurrences(icalcomponent* root, icalcomponent_kind kind, TimeRange range,
                                            std::size_t max_instances, bool& truncated);
// The same, stopping at the first occurrence found when `first_only` (then at most one, for "is there one?").
std::vector<RawOccurrence> walk_occurrences(icalcomponent* root, icalcomponent_kind kind, TimeRange range,
                                            std::size_t max_instances, bool& truncated, bool first_only);

// UTC seconds of a time value of `prop` (resolving its TZID against `root` or the system zoneinfo).
std::int64_t to_utc(icaltimetype time, icalproperty* prop, icalcomponent* root);

}  // namespace bulwark::parse::ical::detail

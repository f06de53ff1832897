// libFuzzer target: CalDAV's use of libical (parse/ical): validation on PUT, then bounded expansion over a year.
// Beyond "no crash": an accepted object's span is ordered, and expansion never yields more occurrences than the
// limit allows (overrides aside) nor any outside the range.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parse/ical/calendar_object.h"
#include "parse/ical/calendar_output.h"
#include "parse/ical/occurrences.h"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark::parse::ical;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CalendarLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.max_instances = 500;
  auto object = check_calendar_object(text, "VEVENT,VTODO,VJOURNAL", limits);
  if (!object) return 0;
  check(object->start <= object->end);
  TimeRange year{1767225600, 1798761600};  // 2026
  auto set = occurrences_in(text, object->component, year, limits.max_instances);
  if (!set) return 0;
  for (const auto& o : set->items) {
    check(o.start < year.end);
    check(o.end >= o.start);
  }
  (void)expand_object(text, object->component, year, limits.max_instances);
  return 0;
}

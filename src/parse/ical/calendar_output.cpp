#include "parse/ical/calendar_output.h"

#include <algorithm>

#include "parse/ical/ical_internal.h"

namespace bulwark::parse::ical {
namespace {

icaltimetype utc_time(std::int64_t seconds) {
  return icaltime_from_timet_with_zone(static_cast<time_t>(seconds), 0, icaltimezone_get_utc_timezone());
}

void remove_all(icalcomponent* c, icalproperty_kind kind) {
  while (icalproperty* p = icalcomponent_get_first_property(c, kind)) {
    icalcomponent_remove_property(c, p);
    icalproperty_free(p);
  }
}

struct CharDeleter {
  void operator()(char* p) const { free(p); }
};

}  // namespace

Result<std::string> expand_object(std::string_view text, std::string_view component, TimeRange range,
                                  std::size_t max_instances) {
  BULWARK_TRY_ASSIGN(auto root, detail::parse_calendar(text));
  auto kind = detail::kind_of(component);
  bool truncated = false;
  auto items = detail::walk_occurrences(root.get(), kind, range, max_instances, truncated);
  detail::ComponentPtr out(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
  for (icalproperty* p = icalcomponent_get_first_property(root.get(), ICAL_ANY_PROPERTY); p;
       p = icalcomponent_get_next_property(root.get(), ICAL_ANY_PROPERTY)) {
    icalcomponent_add_property(out.get(), icalproperty_new_clone(p));
  }
  for (const auto& item : items) {
    icalcomponent* instance = icalcomponent_new_clone(item.source);
    for (auto k : {ICAL_RRULE_PROPERTY, ICAL_RDATE_PROPERTY, ICAL_EXDATE_PROPERTY, ICAL_EXRULE_PROPERTY,
                   ICAL_DTSTART_PROPERTY, ICAL_DTEND_PROPERTY, ICAL_DURATION_PROPERTY, ICAL_RECURRENCEID_PROPERTY}) {
      remove_all(instance, k);
    }
    icalcomponent_add_property(instance, icalproperty_new_dtstart(utc_time(item.occurrence.start)));
    if (item.occurrence.end > item.occurrence.start) {
      icalcomponent_add_property(instance, icalproperty_new_dtend(utc_time(item.occurrence.end)));
    }
    bool was_recurring = item.occurrence.is_override ||
                         icalcomponent_get_first_property(item.source, ICAL_RRULE_PROPERTY) ||
                         icalcomponent_get_first_property(item.source, ICAL_RDATE_PROPERTY);
    if (was_recurring) {
      icalcomponent_add_property(instance, icalproperty_new_recurrenceid(utc_time(item.occurrence.recurrence_id)));
    }
    icalcomponent_add_component(out.get(), instance);
  }
  std::unique_ptr<char, CharDeleter> rendered(icalcomponent_as_ical_string_r(out.get()));
  return rendered ? std::string(rendered.get()) : std::string();
}

std::vector<std::pair<std::int64_t, std::int64_t>> merge_busy(std::vector<std::pair<std::int64_t, std::int64_t>> busy,
                                                              TimeRange range) {
  for (auto& [s, e] : busy) {
    s = std::max(s, range.start);
    e = std::min(e, range.end);
  }
  std::sort(busy.begin(), busy.end());
  std::vector<std::pair<std::int64_t, std::int64_t>> merged;
  for (const auto& period : busy) {
    if (period.second <= period.first) continue;
    if (!merged.empty() && period.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, period.second);
    } else {
      merged.push_back(period);
    }
  }
  return merged;
}

std::string free_busy_calendar(std::vector<std::pair<std::int64_t, std::int64_t>> busy, TimeRange range) {
  const auto merged = merge_busy(std::move(busy), range);
  std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bulwark//CalDAV//EN\r\nBEGIN:VFREEBUSY\r\n";
  out += "DTSTAMP:" + format_utc_time(range.start) + "\r\n";
  out += "DTSTART:" + format_utc_time(range.start) + "\r\nDTEND:" + format_utc_time(range.end) + "\r\n";
  for (const auto& [s, e] : merged) out += "FREEBUSY:" + format_utc_time(s) + "/" + format_utc_time(e) + "\r\n";
  out += "END:VFREEBUSY\r\nEND:VCALENDAR\r\n";
  return out;
}

}  // namespace bulwark::parse::ical

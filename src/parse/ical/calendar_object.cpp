#include "parse/ical/calendar_object.h"

#include <limits>
#include <mutex>
#include <set>

#include "parse/ical/ical_internal.h"

namespace bulwark::parse::ical {
namespace {

tl::unexpected<CalendarProblem> problem(std::string precondition, std::string detail) {
  return tl::unexpected(CalendarProblem{std::move(precondition), std::move(detail)});
}

bool is_listed(std::string_view list, std::string_view item) {
  std::size_t pos = 0;
  while (pos <= list.size()) {
    auto comma = list.find(',', pos);
    auto token = list.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    if (token == item) return true;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return false;
}

// libical accepts out-of-range fields (month 13) and normalizes them silently; CalDAV clients should hear.
bool is_real_time(const icaltimetype& t) {
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > icaltime_days_in_month(t.month, t.year)) return false;
  if (t.is_date) return true;
  return t.hour >= 0 && t.hour < 24 && t.minute >= 0 && t.minute < 60 && t.second >= 0 && t.second <= 60;
}

// libical walks sub-daily rules one second / minute / hour at a time and filters afterwards, so a sub-daily rule
// with a day or month filter that never matches (FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30) makes a single
// icalrecur_iterator_next() run for minutes. The expansion limit counts instances and cannot stop that, so such
// rules are refused when stored.
bool is_slow_rule(const icalrecurrencetype& r) {
  if (r.freq != ICAL_SECONDLY_RECURRENCE && r.freq != ICAL_MINUTELY_RECURRENCE && r.freq != ICAL_HOURLY_RECURRENCE) {
    return false;
  }
  return r.by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX || r.by_year_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
         r.by_week_no[0] != ICAL_RECURRENCE_ARRAY_MAX || r.by_month[0] != ICAL_RECURRENCE_ARRAY_MAX ||
         r.by_set_pos[0] != ICAL_RECURRENCE_ARRAY_MAX;
}

}  // namespace

void init_libical() {
  static std::once_flag once;
  std::call_once(once, [] { icalerror_set_errors_are_fatal(0); });
}

tl::expected<CalendarObject, CalendarProblem> check_calendar_object(std::string_view text, std::string_view supported,
                                                                    const CalendarLimits& limits) {
  init_libical();
  if (text.size() > limits.max_bytes) return problem("max-resource-size", "the calendar object is too big");
  if (text.find('\0') != std::string_view::npos) return problem("valid-calendar-data", "NUL byte in the data");
  auto parsed = detail::parse_calendar(text);
  if (!parsed) return problem("valid-calendar-data", parsed.error().detail);
  icalcomponent* root = parsed->get();
  if (icalcomponent_count_errors(root) > 0) {
    // libical records what it could not parse as X-LIC-ERROR properties; report the first.
    std::string detail = "the iCalendar data has syntax errors";
    for (icalcomponent* c = icalcomponent_get_first_component(root, ICAL_ANY_COMPONENT); c;
         c = icalcomponent_get_next_component(root, ICAL_ANY_COMPONENT)) {
      if (icalproperty* e = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY)) {
        if (const char* s = icalproperty_get_xlicerror(e)) detail = std::string("iCalendar error: ") + s;
        break;
      }
    }
    if (icalproperty* e = icalcomponent_get_first_property(root, ICAL_XLICERROR_PROPERTY)) {
      if (const char* s = icalproperty_get_xlicerror(e)) detail = std::string("iCalendar error: ") + s;
    }
    return problem("valid-calendar-data", detail);
  }
  CalendarObject object;
  icalcomponent_kind kind = ICAL_NO_COMPONENT;
  std::size_t count = 0;
  std::set<std::string> masters;
  for (icalcomponent* c = icalcomponent_get_first_component(root, ICAL_ANY_COMPONENT); c;
       c = icalcomponent_get_next_component(root, ICAL_ANY_COMPONENT)) {
    icalcomponent_kind k = icalcomponent_isa(c);
    if (k == ICAL_VTIMEZONE_COMPONENT) continue;
    const char* name = icalcomponent_kind_to_string(k);
    if (k != ICAL_VEVENT_COMPONENT && k != ICAL_VTODO_COMPONENT && k != ICAL_VJOURNAL_COMPONENT) {
      return problem("supported-calendar-component",
                     std::string("component ") + (name ? name : "?") + " cannot be stored in a calendar collection");
    }
    if (kind != ICAL_NO_COMPONENT && k != kind) {
      return problem("valid-calendar-object-resource", "a calendar object holds components of one type only");
    }
    kind = k;
    const char* uid = icalcomponent_get_uid(c);
    if (!uid || !*uid) return problem("valid-calendar-object-resource", "a component has no UID");
    if (object.uid.empty()) object.uid = uid;
    if (object.uid != uid) return problem("valid-calendar-object-resource", "the components have different UIDs");
    bool is_override = icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY) != nullptr;
    if (!is_override && !masters.insert(uid).second) {
      return problem("valid-calendar-object-resource", "more than one master component for the UID");
    }
    icalproperty* dtstart = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
    if (k == ICAL_VEVENT_COMPONENT && !dtstart) return problem("valid-calendar-data", "VEVENT without DTSTART");
    if (dtstart) {
      icaltimetype value = icalproperty_get_dtstart(dtstart);
      if (icaltime_is_null_time(value) || !is_real_time(value)) {
        return problem("valid-calendar-data", "DTSTART is not a valid DATE or DATE-TIME");
      }
    }
    if (icalcomponent_get_first_property(c, ICAL_DTEND_PROPERTY) &&
        icalcomponent_get_first_property(c, ICAL_DURATION_PROPERTY)) {
      return problem("valid-calendar-data", "DTEND and DURATION together");
    }
    for (icalproperty* r = icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY); r;
         r = icalcomponent_get_next_property(c, ICAL_RRULE_PROPERTY)) {
      if (is_slow_rule(icalproperty_get_rrule(r))) {
        return problem("valid-calendar-data",
                       "an hourly, minutely or secondly RRULE cannot also filter by month, day of month, day of "
                       "year, week number or set position");
      }
    }
    if (icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY) ||
        icalcomponent_get_first_property(c, ICAL_RDATE_PROPERTY) || is_override) {
      object.is_recurring = true;
    }
    ++count;
  }
  if (count == 0) return problem("valid-calendar-object-resource", "no VEVENT, VTODO or VJOURNAL");
  object.component = icalcomponent_kind_to_string(kind);
  if (!is_listed(supported, object.component)) {
    return problem("supported-calendar-component",
                   object.component + " is not supported by this calendar (" + std::string(supported) + ")");
  }
  // The span the object covers, for the store's time-range pre-filter. A rule cut at the limit (or unbounded)
  // reaches forever, so no occurrence is ever missed by the pre-filter.
  bool unbounded = false;
  for (icalcomponent* c = icalcomponent_get_first_component(root, kind); c;
       c = icalcomponent_get_next_component(root, kind)) {
    if (icalproperty* r = icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY)) {
      icalrecurrencetype recur = icalproperty_get_rrule(r);
      if (recur.count == 0 && icaltime_is_null_time(recur.until)) unbounded = true;
    }
  }
  constexpr std::int64_t kFar = std::int64_t{1} << 50;
  bool truncated = false;
  // An unbounded rule reaches forever anyway: its first instance (DTSTART) is all the index needs.
  auto all = detail::walk_occurrences(root, kind, TimeRange{-kFar, kFar}, unbounded ? 1 : limits.max_instances,
                                      truncated);
  if (all.empty()) {
    object.start = std::numeric_limits<std::int64_t>::min();
    object.end = std::numeric_limits<std::int64_t>::max();  // undated (a VTODO without dates): always a candidate
    return object;
  }
  object.start = all.front().occurrence.start;
  object.end = object.start;
  for (const auto& o : all) object.end = std::max(object.end, std::max(o.occurrence.end, o.occurrence.start + 1));
  if (truncated || unbounded) object.end = std::numeric_limits<std::int64_t>::max();
  return object;
}

}  // namespace bulwark::parse::ical

#include "parse/ical/occurrences.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <limits>
#include <set>

#include "parse/ical/calendar_object.h"
#include "parse/ical/ical_internal.h"

namespace bulwark::parse::ical {
namespace detail {

Result<ComponentPtr> parse_calendar(std::string_view text) {
  init_libical();
  std::string copy(text);  // libical wants a NUL-terminated string
  ComponentPtr root(icalparser_parse_string(copy.c_str()));
  if (!root) return fail(Errc::invalid_syntax, "not iCalendar data");
  if (icalcomponent_isa(root.get()) != ICAL_VCALENDAR_COMPONENT) {
    return fail(Errc::invalid_syntax, "the top-level component is not VCALENDAR");
  }
  return root;
}

icalcomponent_kind kind_of(std::string_view component) {
  if (component == "VEVENT") return ICAL_VEVENT_COMPONENT;
  if (component == "VTODO") return ICAL_VTODO_COMPONENT;
  if (component == "VJOURNAL") return ICAL_VJOURNAL_COMPONENT;
  if (component == "VFREEBUSY") return ICAL_VFREEBUSY_COMPONENT;
  return ICAL_NO_COMPONENT;
}

namespace {

icaltimezone* zone_for(icalproperty* prop, icalcomponent* root) {
  if (!prop) return nullptr;
  icalparameter* param = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
  if (!param) return nullptr;
  const char* tzid = icalparameter_get_tzid(param);
  if (!tzid) return nullptr;
  if (icaltimezone* zone = icalcomponent_get_timezone(root, tzid)) return zone;
  return icaltimezone_get_builtin_timezone(tzid);
}

constexpr std::int64_t kDay = 86400;

struct Master {
  icalcomponent* component = nullptr;
  icaltimetype dtstart{};
  icaltimezone* zone = nullptr;
  std::int64_t start = 0;
  std::int64_t duration = 0;
};

bool is_transparent(icalcomponent* c) {
  if (icalproperty* p = icalcomponent_get_first_property(c, ICAL_TRANSP_PROPERTY)) {
    if (icalproperty_get_transp(p) == ICAL_TRANSP_TRANSPARENT) return true;
  }
  if (icalproperty* p = icalcomponent_get_first_property(c, ICAL_STATUS_PROPERTY)) {
    if (icalproperty_get_status(p) == ICAL_STATUS_CANCELLED) return true;
  }
  return false;
}

// Start and length of one component's own instance (RFC 4791 9.9 table for VEVENT and VTODO).
bool own_span(icalcomponent* c, icalcomponent* root, std::int64_t& start, std::int64_t& duration) {
  icalproperty* dtstart_prop = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
  icalproperty* due_prop = icalcomponent_get_first_property(c, ICAL_DUE_PROPERTY);
  if (!dtstart_prop) {
    if (!due_prop) return false;
    icaltimetype due = icalproperty_get_due(due_prop);
    start = to_utc(due, due_prop, root);
    duration = 0;
    return true;
  }
  icaltimetype dtstart = icalproperty_get_dtstart(dtstart_prop);
  start = to_utc(dtstart, dtstart_prop, root);
  if (icalproperty* dtend_prop = icalcomponent_get_first_property(c, ICAL_DTEND_PROPERTY)) {
    duration = std::max<std::int64_t>(0, to_utc(icalproperty_get_dtend(dtend_prop), dtend_prop, root) - start);
  } else if (icalproperty* dur = icalcomponent_get_first_property(c, ICAL_DURATION_PROPERTY)) {
    duration = std::max<std::int64_t>(0, icaldurationtype_as_int(icalproperty_get_duration(dur)));
  } else if (due_prop) {
    duration = std::max<std::int64_t>(0, to_utc(icalproperty_get_due(due_prop), due_prop, root) - start);
  } else {
    duration = dtstart.is_date ? kDay : 0;
  }
  return true;
}

// RFC 4791 9.9: a zero-length instance overlaps when it starts inside the range (or at its start).
bool in_range(std::int64_t start, std::int64_t end, TimeRange range) {
  if (end <= start) return start >= range.start && start < range.end;
  return start < range.end && end > range.start;
}

}  // namespace

std::int64_t to_utc(icaltimetype time, icalproperty* prop, icalcomponent* root) {
  if (icaltime_is_null_time(time)) return 0;
  icaltimezone* zone = time.is_date ? nullptr : (icaltime_is_utc(time) ? icaltimezone_get_utc_timezone()
                                                                       : zone_for(prop, root));
  if (!zone) zone = icaltimezone_get_utc_timezone();  // floating and dates: UTC
  return static_cast<std::int64_t>(icaltime_as_timet_with_zone(time, zone));
}

std::vector<RawOccurrence> walk_occurrences(icalcomponent* root, icalcomponent_kind kind, TimeRange range,
                                            std::size_t max_instances, bool& truncated) {
  return walk_occurrences(root, kind, range, max_instances, truncated, false);
}

// With `first_only`, returns as soon as one occurrence is found (unsorted then): a time-range filter only needs
// to know that there is one, and a year-long range would otherwise expand a weekly event 52 times.
std::vector<RawOccurrence> walk_occurrences(icalcomponent* root, icalcomponent_kind kind, TimeRange range,
                                            std::size_t max_instances, bool& truncated, bool first_only) {
  std::vector<RawOccurrence> out;
  std::vector<icalcomponent*> masters;
  std::set<std::int64_t> overridden;
  for (icalcomponent* c = icalcomponent_get_first_component(root, kind); c;
       c = icalcomponent_get_next_component(root, kind)) {
    icalproperty* rid = icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY);
    if (!rid) {
      masters.push_back(c);
      continue;
    }
    std::int64_t start = 0, duration = 0;
    std::int64_t rid_utc = to_utc(icalproperty_get_recurrenceid(rid), rid, root);
    overridden.insert(rid_utc);
    if (!own_span(c, root, start, duration)) start = rid_utc;
    if (in_range(start, start + duration, range)) {
      out.push_back({Occurrence{start, start + duration, rid_utc, true, is_transparent(c)}, c});
      if (first_only) return out;
    }
  }
  std::size_t examined = 0;
  for (icalcomponent* c : masters) {
    std::int64_t start = 0, duration = 0;
    if (!own_span(c, root, start, duration)) continue;
    const bool transparent = is_transparent(c);
    auto consider = [&](std::int64_t instance) {
      if (overridden.count(instance)) return false;
      if (!in_range(instance, instance + duration, range)) return false;
      out.push_back({Occurrence{instance, instance + duration, instance, false, transparent}, c});
      return true;
    };
    icalproperty* rrule = icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY);
    icalproperty* rdate = icalcomponent_get_first_property(c, ICAL_RDATE_PROPERTY);
    if (!rrule && !rdate) {
      if (consider(start) && first_only) return out;
      continue;
    }
    std::set<std::int64_t> excluded;
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_EXDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_EXDATE_PROPERTY)) {
      excluded.insert(to_utc(icalproperty_get_exdate(p), p, root));
    }
    std::set<std::int64_t> instances;
    // RFC 5545 3.8.5.3: DTSTART is always the first instance.
    instances.insert(start);
    for (icalproperty* p = rdate; p; p = icalcomponent_get_next_property(c, ICAL_RDATE_PROPERTY)) {
      if (++examined > max_instances) {
        truncated = true;
        break;
      }
      icaldatetimeperiodtype value = icalproperty_get_rdate(p);
      icaltimetype when = icaltime_is_null_time(value.time) ? value.period.start : value.time;
      instances.insert(to_utc(when, p, root));
    }
    if (first_only) {
      for (std::int64_t instance : instances) {
        if (!excluded.count(instance) && consider(instance)) return out;
      }
    }
    if (rrule) {
      icalproperty* dtstart_prop = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
      icaltimetype dtstart = icalproperty_get_dtstart(dtstart_prop);
      icalrecurrencetype recur = icalproperty_get_rrule(rrule);
      icalrecur_iterator* it = icalrecur_iterator_new(recur, dtstart);
      if (it && recur.count == 0 && range.start - duration > start + kDay) {
        // Jump close to the range instead of walking from DTSTART (libical allows it for rules without COUNT).
        icaltimezone* zone = dtstart.is_date ? nullptr : (icaltime_is_utc(dtstart) ? icaltimezone_get_utc_timezone()
                                                                                   : zone_for(dtstart_prop, root));
        if (!zone) zone = icaltimezone_get_utc_timezone();
        icaltimetype from = icaltime_from_timet_with_zone(static_cast<time_t>(range.start - duration - kDay),
                                                          dtstart.is_date, zone);
        (void)icalrecur_iterator_set_start(it, from);
      }
      if (it) {
        for (icaltimetype next = icalrecur_iterator_next(it); !icaltime_is_null_time(next);
             next = icalrecur_iterator_next(it)) {
          if (++examined > max_instances) {
            truncated = true;
            break;
          }
          std::int64_t instance = to_utc(next, dtstart_prop, root);
          if (instance >= range.end) break;  // instances come in order
          if (instance + duration < range.start && instance < range.start) continue;
          if (first_only) {
            if (!excluded.count(instance) && consider(instance)) {
              icalrecur_iterator_free(it);
              return out;
            }
            continue;
          }
          instances.insert(instance);
        }
        icalrecur_iterator_free(it);
      }
    }
    if (first_only) continue;  // the DTSTART and RDATE instances were considered above
    for (std::int64_t instance : instances) {
      if (!excluded.count(instance)) consider(instance);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const RawOccurrence& a, const RawOccurrence& b) { return a.occurrence.start < b.occurrence.start; });
  return out;
}

}  // namespace detail

Result<OccurrenceSet> occurrences_in(std::string_view text, std::string_view component, TimeRange range,
                                     std::size_t max_instances) {
  BULWARK_TRY_ASSIGN(auto root, detail::parse_calendar(text));
  auto kind = detail::kind_of(component);
  if (kind == ICAL_NO_COMPONENT) return fail(Errc::invalid_argument, "unsupported component");
  OccurrenceSet set;
  for (auto& raw : detail::walk_occurrences(root.get(), kind, range, max_instances, set.truncated)) {
    set.items.push_back(raw.occurrence);
  }
  return set;
}

Result<bool> overlaps(std::string_view text, std::string_view component, TimeRange range,
                      std::size_t max_instances) {
  BULWARK_TRY_ASSIGN(auto root, detail::parse_calendar(text));
  auto kind = detail::kind_of(component);
  if (kind == ICAL_NO_COMPONENT) return fail(Errc::invalid_argument, "unsupported component");
  bool truncated = false;
  return !detail::walk_occurrences(root.get(), kind, range, max_instances, truncated, true).empty();
}

Result<bool> property_matches(std::string_view text, std::string_view component, std::string_view property,
                              std::string_view needle) {
  BULWARK_TRY_ASSIGN(auto root, detail::parse_calendar(text));
  auto kind = detail::kind_of(component);
  std::string wanted(property);
  std::transform(wanted.begin(), wanted.end(), wanted.begin(), [](unsigned char ch) { return std::toupper(ch); });
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return s;
  };
  const std::string want = lower(std::string(needle));
  for (icalcomponent* c = icalcomponent_get_first_component(root.get(), kind); c;
       c = icalcomponent_get_next_component(root.get(), kind)) {
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
      const char* name = icalproperty_get_property_name(p);
      if (!name || wanted != name) continue;
      if (needle.empty()) return true;
      const char* value = icalproperty_get_value_as_string(p);
      if (value && lower(value).find(want) != std::string::npos) return true;
    }
  }
  return false;
}

Result<std::int64_t> parse_utc_time(std::string_view text) {
  // RFC 4791 9.9: date with UTC time, "YYYYMMDDTHHMMSSZ".
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return fail(Errc::invalid_syntax, "bad UTC time");
  for (std::size_t i = 0; i < 15; ++i) {
    if (i != 8 && !std::isdigit(static_cast<unsigned char>(text[i]))) return fail(Errc::invalid_syntax, "bad UTC time");
  }
  auto num = [&](std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(4, 2) - 1;
  tm.tm_mday = num(6, 2);
  tm.tm_hour = num(9, 2);
  tm.tm_min = num(11, 2);
  tm.tm_sec = num(13, 2);
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60) {
    return fail(Errc::invalid_syntax, "bad UTC time");
  }
  return static_cast<std::int64_t>(timegm(&tm));
}

std::string format_utc_time(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &tm);
  return buffer;
}

}  // namespace bulwark::parse::ical

#include "parse/ical/itip.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "parse/ical/calendar_output.h"
#include "parse/ical/ical_internal.h"

namespace bulwark::parse::ical {
namespace {

using detail::ComponentPtr;

struct CharDeleter {
  void operator()(char* p) const { free(p); }
};

std::string render(icalcomponent* root) {
  std::unique_ptr<char, CharDeleter> text(icalcomponent_as_ical_string_r(root));
  return text ? std::string(text.get()) : std::string();
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool is_scheduling_kind(icalcomponent_kind kind) {
  return kind == ICAL_VEVENT_COMPONENT || kind == ICAL_VTODO_COMPONENT || kind == ICAL_VJOURNAL_COMPONENT ||
         kind == ICAL_VFREEBUSY_COMPONENT;
}

// The components iTIP is about (not VTIMEZONE), master first when there is one.
std::vector<icalcomponent*> items_of(icalcomponent* root) {
  std::vector<icalcomponent*> out;
  for (icalcomponent* c = icalcomponent_get_first_component(root, ICAL_ANY_COMPONENT); c;
       c = icalcomponent_get_next_component(root, ICAL_ANY_COMPONENT)) {
    if (is_scheduling_kind(icalcomponent_isa(c))) out.push_back(c);
  }
  std::stable_partition(out.begin(), out.end(), [](icalcomponent* c) {
    return icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY) == nullptr;
  });
  return out;
}

std::string param(icalproperty* p, const char* name) {
  const char* v = icalproperty_get_parameter_as_string(p, name);
  return v ? std::string(v) : std::string();
}

std::string address_of(icalproperty* p) {
  const char* v = icalproperty_get_value_as_string(p);
  return v ? calendar_address(v) : std::string();
}

CalendarUser user_of(icalproperty* p) {
  CalendarUser u;
  u.address = address_of(p);
  u.partstat = upper(param(p, "PARTSTAT"));
  if (u.partstat.empty()) u.partstat = "NEEDS-ACTION";
  auto agent = upper(param(p, "SCHEDULE-AGENT"));
  u.is_client_scheduled = agent == "CLIENT" || agent == "NONE";
  return u;
}

void remove_all(icalcomponent* c, icalproperty_kind kind) {
  while (icalproperty* p = icalcomponent_get_first_property(c, kind)) {
    icalcomponent_remove_property(c, p);
    icalproperty_free(p);
  }
}

void set_method(icalcomponent* root, icalproperty_method method) {
  remove_all(root, ICAL_METHOD_PROPERTY);
  icalcomponent_add_property(root, icalproperty_new_method(method));
}

void strip_server_parameters(icalcomponent* root) {
  for (icalcomponent* c : items_of(root)) {
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ATTENDEE_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_ATTENDEE_PROPERTY)) {
      icalproperty_remove_parameter_by_kind(p, ICAL_SCHEDULESTATUS_PARAMETER);
      icalproperty_remove_parameter_by_kind(p, ICAL_SCHEDULEFORCESEND_PARAMETER);
    }
    if (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ORGANIZER_PROPERTY)) {
      icalproperty_remove_parameter_by_kind(p, ICAL_SCHEDULESTATUS_PARAMETER);
      icalproperty_remove_parameter_by_kind(p, ICAL_SCHEDULEFORCESEND_PARAMETER);
    }
  }
}

void mark_cancelled(icalcomponent* root) {
  for (icalcomponent* c : items_of(root)) {
    remove_all(c, ICAL_STATUS_PROPERTY);
    icalcomponent_add_property(c, icalproperty_new_status(ICAL_STATUS_CANCELLED));
  }
}

std::int64_t utc_of(icalcomponent* c, icalproperty_kind kind, icalcomponent* root) {
  icalproperty* p = icalcomponent_get_first_property(c, kind);
  if (!p) return 0;
  icaltimetype t = kind == ICAL_DTSTART_PROPERTY ? icalproperty_get_dtstart(p) : icalproperty_get_dtend(p);
  if (icaltime_is_null_time(t)) return 0;
  return detail::to_utc(t, p, root);
}

}  // namespace

std::string calendar_address(std::string_view cal_address) {
  while (!cal_address.empty() && (cal_address.front() == ' ' || cal_address.front() == '\t')) {
    cal_address.remove_prefix(1);
  }
  constexpr std::string_view kMailto = "mailto:";
  if (cal_address.size() <= kMailto.size()) return {};
  for (std::size_t i = 0; i < kMailto.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(cal_address[i])) != kMailto[i]) return {};
  }
  std::string out;
  for (char c : cal_address.substr(kMailto.size())) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') break;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (out.find('@') == std::string::npos) return {};
  return out;
}

Result<SchedulingObject> read_scheduling_object(std::string_view text) {
  BULWARK_TRY_ASSIGN(auto root, detail::parse_calendar(text));
  SchedulingObject out;
  if (icalproperty* m = icalcomponent_get_first_property(root.get(), ICAL_METHOD_PROPERTY)) {
    const char* v = icalproperty_get_value_as_string(m);
    out.method = upper(v ? v : "");
  }
  auto items = items_of(root.get());
  if (items.empty()) return fail(Errc::invalid_syntax, "no event, to-do, journal or free/busy component");
  icalcomponent* first = items.front();
  out.component = icalcomponent_kind_to_string(icalcomponent_isa(first));
  if (const char* uid = icalcomponent_get_uid(first)) out.uid = uid;
  if (icalproperty* p = icalcomponent_get_first_property(first, ICAL_ORGANIZER_PROPERTY)) out.organizer = user_of(p);
  if (icalproperty* p = icalcomponent_get_first_property(first, ICAL_SUMMARY_PROPERTY)) {
    if (const char* s = icalproperty_get_summary(p)) out.summary = s;
  }
  if (icalproperty* p = icalcomponent_get_first_property(first, ICAL_SEQUENCE_PROPERTY)) {
    out.sequence = icalproperty_get_sequence(p);
  }
  if (icalproperty* p = icalcomponent_get_first_property(first, ICAL_STATUS_PROPERTY)) {
    out.is_cancelled = icalproperty_get_status(p) == ICAL_STATUS_CANCELLED;
  }
  out.start = utc_of(first, ICAL_DTSTART_PROPERTY, root.get());
  out.end = utc_of(first, ICAL_DTEND_PROPERTY, root.get());
  for (icalcomponent* c : items) {
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ATTENDEE_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_ATTENDEE_PROPERTY)) {
      auto user = user_of(p);
      if (user.address.empty()) continue;
      bool seen = std::any_of(out.attendees.begin(), out.attendees.end(),
                              [&](const CalendarUser& u) { return u.address == user.address; });
      if (!seen) out.attendees.push_back(std::move(user));
    }
  }
  return out;
}

Result<std::string> make_request(std::string_view object) {
  BULWARK_TRY_ASSIGN(auto root, detail::parse_calendar(object));
  strip_server_parameters(root.get());
  set_method(root.get(), ICAL_METHOD_REQUEST);
  return render(root.get());
}

Result<std::string> make_cancel(std::string_view object) {
  BULWARK_TRY_ASSIGN(auto root, detail::parse_calendar(object));
  strip_server_parameters(root.get());
  mark_cancelled(root.get());
  set_method(root.get(), ICAL_METHOD_CANCEL);
  return render(root.get());
}

Result<std::string> make_reply(std::string_view object, std::string_view attendee,
                               std::optional<std::string_view> partstat) {
  BULWARK_TRY_ASSIGN(auto root, detail::parse_calendar(object));
  strip_server_parameters(root.get());
  for (icalcomponent* c : items_of(root.get())) {
    std::vector<icalproperty*> others;
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ATTENDEE_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_ATTENDEE_PROPERTY)) {
      if (address_of(p) != attendee) {
        others.push_back(p);
      } else if (partstat) {
        icalproperty_set_parameter_from_string(p, "PARTSTAT", std::string(*partstat).c_str());
      }
    }
    for (icalproperty* p : others) {
      icalcomponent_remove_property(c, p);
      icalproperty_free(p);
    }
    while (icalcomponent* alarm = icalcomponent_get_first_component(c, ICAL_VALARM_COMPONENT)) {
      icalcomponent_remove_component(c, alarm);
      icalcomponent_free(alarm);
    }
  }
  set_method(root.get(), ICAL_METHOD_REPLY);
  return render(root.get());
}

Result<std::string> set_schedule_status(std::string_view object, const std::map<std::string, std::string>& status) {
  BULWARK_TRY_ASSIGN(auto root, detail::parse_calendar(object));
  for (icalcomponent* c : items_of(root.get())) {
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ATTENDEE_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_ATTENDEE_PROPERTY)) {
      auto it = status.find(address_of(p));
      if (it == status.end()) continue;
      icalproperty_remove_parameter_by_kind(p, ICAL_SCHEDULESTATUS_PARAMETER);
      icalproperty_set_parameter_from_string(p, "SCHEDULE-STATUS", it->second.c_str());
    }
  }
  return render(root.get());
}

Result<std::string> attendee_copy(std::string_view request) {
  BULWARK_TRY_ASSIGN(auto root, detail::parse_calendar(request));
  strip_server_parameters(root.get());
  remove_all(root.get(), ICAL_METHOD_PROPERTY);
  return render(root.get());
}

Result<std::string> cancelled_copy(std::string_view object) {
  BULWARK_TRY_ASSIGN(auto root, detail::parse_calendar(object));
  remove_all(root.get(), ICAL_METHOD_PROPERTY);
  mark_cancelled(root.get());
  return render(root.get());
}

Result<std::optional<std::string>> apply_reply(std::string_view organizer_copy, std::string_view reply) {
  BULWARK_TRY_ASSIGN(auto answer, read_scheduling_object(reply));
  if (answer.attendees.empty()) return std::optional<std::string>();
  const auto& replier = answer.attendees.front();
  BULWARK_TRY_ASSIGN(auto root, detail::parse_calendar(organizer_copy));
  bool changed = false;
  for (icalcomponent* c : items_of(root.get())) {
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ATTENDEE_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_ATTENDEE_PROPERTY)) {
      if (address_of(p) != replier.address) continue;
      icalproperty_set_parameter_from_string(p, "PARTSTAT", replier.partstat.c_str());
      icalproperty_remove_parameter_by_kind(p, ICAL_SCHEDULESTATUS_PARAMETER);
      icalproperty_set_parameter_from_string(p, "SCHEDULE-STATUS", "2.0");
      changed = true;
    }
  }
  if (!changed) return std::optional<std::string>();
  return std::optional<std::string>(render(root.get()));
}

Result<FreeBusyRequest> read_free_busy_request(std::string_view text) {
  BULWARK_TRY_ASSIGN(auto root, detail::parse_calendar(text));
  icalcomponent* fb = icalcomponent_get_first_component(root.get(), ICAL_VFREEBUSY_COMPONENT);
  if (!fb) return fail(Errc::invalid_syntax, "no VFREEBUSY component");
  FreeBusyRequest out;
  if (const char* uid = icalcomponent_get_uid(fb)) out.uid = uid;
  if (icalproperty* p = icalcomponent_get_first_property(fb, ICAL_ORGANIZER_PROPERTY)) out.organizer = address_of(p);
  for (icalproperty* p = icalcomponent_get_first_property(fb, ICAL_ATTENDEE_PROPERTY); p;
       p = icalcomponent_get_next_property(fb, ICAL_ATTENDEE_PROPERTY)) {
    if (const char* v = icalproperty_get_value_as_string(p)) out.attendees.emplace_back(v);
  }
  out.range.start = utc_of(fb, ICAL_DTSTART_PROPERTY, root.get());
  out.range.end = utc_of(fb, ICAL_DTEND_PROPERTY, root.get());
  if (out.range.start == 0 || out.range.end <= out.range.start) {
    return fail(Errc::invalid_syntax, "VFREEBUSY needs DTSTART before DTEND");
  }
  if (out.organizer.empty()) return fail(Errc::invalid_syntax, "VFREEBUSY needs an ORGANIZER");
  return out;
}

std::string free_busy_reply(const FreeBusyRequest& request, std::string_view attendee,
                            std::vector<std::pair<std::int64_t, std::int64_t>> busy) {
  const auto merged = merge_busy(std::move(busy), request.range);
  // Written by hand: every value is ours (times) or was a parsed calendar address without line breaks.
  std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bulwark//CalDAV//EN\r\nMETHOD:REPLY\r\n"
                    "BEGIN:VFREEBUSY\r\n";
  if (!request.uid.empty() && request.uid.find_first_of("\r\n") == std::string::npos) {
    out += "UID:" + request.uid + "\r\n";
  }
  out += "DTSTAMP:" + format_utc_time(request.range.start) + "\r\n";
  out += "DTSTART:" + format_utc_time(request.range.start) + "\r\nDTEND:" + format_utc_time(request.range.end) + "\r\n";
  out += "ORGANIZER:mailto:" + request.organizer + "\r\n";
  std::string who(attendee);
  who.erase(std::remove_if(who.begin(), who.end(), [](char c) { return c == '\r' || c == '\n'; }), who.end());
  out += "ATTENDEE:" + who + "\r\n";
  for (const auto& [s, e] : merged) out += "FREEBUSY:" + format_utc_time(s) + "/" + format_utc_time(e) + "\r\n";
  out += "END:VFREEBUSY\r\nEND:VCALENDAR\r\n";
  return out;
}

}  // namespace bulwark::parse::ical

// iTIP (RFC 5546) messages built from and applied to stored calendar objects, for server-side implicit
// scheduling (RFC 6638): who organizes and who attends an object, the REQUEST / CANCEL / REPLY messages the
// server sends for a change, and how a received message changes the recipient's copy. Also the VFREEBUSY
// request and reply of RFC 6638 5 / RFC 5546 3.3. Pure text in, text out (through libical), no I/O.
//
// Calendar user addresses are compared as "local@domain", lower-case, without "mailto:"; other URI schemes are
// not calendar users this server can reach (calendar_address() returns "" for them).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "parse/ical/occurrences.h"

namespace bulwark::parse::ical {

struct CalendarUser {
  std::string address;        // calendar_address() form
  std::string partstat;       // PARTSTAT, upper-case; NEEDS-ACTION when absent (RFC 5545 3.2.12)
  bool is_client_scheduled = false;  // SCHEDULE-AGENT=CLIENT or NONE (RFC 6638 7.1): the server stays out
};

struct SchedulingObject {
  std::string method;     // METHOD of the VCALENDAR, upper-case; empty for stored objects
  std::string uid;
  std::string component;  // VEVENT, VTODO, VJOURNAL or VFREEBUSY (the first non-timezone component)
  std::optional<CalendarUser> organizer;
  std::vector<CalendarUser> attendees;  // each address once, from the master (or first) component first
  std::string summary;
  std::int64_t sequence = 0;
  bool is_cancelled = false;  // STATUS:CANCELLED on the master (or first) component
  std::int64_t start = 0;     // DTSTART of the first component (UTC seconds), 0 when absent
  std::int64_t end = 0;       // DTEND of the first component (UTC seconds), 0 when absent
};

// "mailto:Bob@Example.org" -> "bob@example.org"; "" for anything that is not a mailto: address.
std::string calendar_address(std::string_view cal_address);

[[nodiscard]] Result<SchedulingObject> read_scheduling_object(std::string_view text);

// The object as an iTIP REQUEST or CANCEL from its organizer (RFC 5546 3.2.2, 3.2.5): METHOD set, SCHEDULE-STATUS
// and SCHEDULE-FORCE-SEND removed; a CANCEL also marks every component STATUS:CANCELLED.
[[nodiscard]] Result<std::string> make_request(std::string_view object);
[[nodiscard]] Result<std::string> make_cancel(std::string_view object);
// An iTIP REPLY (RFC 5546 3.2.3) from `attendee`: every component keeps only that attendee's ATTENDEE property,
// with `partstat` when given.
[[nodiscard]] Result<std::string> make_reply(std::string_view object, std::string_view attendee,
                                             std::optional<std::string_view> partstat);

// RFC 6638 3.2.9 / 7.3: SCHEDULE-STATUS on each ATTENDEE whose address is a key of `status`.
[[nodiscard]] Result<std::string> set_schedule_status(std::string_view object,
                                                      const std::map<std::string, std::string>& status);
// The calendar object an attendee stores for a received REQUEST: METHOD and SCHEDULE-STATUS removed.
[[nodiscard]] Result<std::string> attendee_copy(std::string_view request);
// The recipient's copy after a CANCEL: every component STATUS:CANCELLED (RFC 6638 3.2.5 lets the server keep it).
[[nodiscard]] Result<std::string> cancelled_copy(std::string_view object);
// The organizer's copy after `reply`: the PARTSTAT of the replying attendee copied onto the matching ATTENDEE
// of each component. nullopt when the copy has no such attendee (a reply from a stranger changes nothing).
[[nodiscard]] Result<std::optional<std::string>> apply_reply(std::string_view organizer_copy, std::string_view reply);

// A VFREEBUSY request (RFC 5546 3.3.2) as a client POSTs it to the schedule outbox.
struct FreeBusyRequest {
  std::string organizer;               // calendar_address() form
  std::vector<std::string> attendees;  // as written (the response names them so)
  TimeRange range;
  std::string uid;
};
[[nodiscard]] Result<FreeBusyRequest> read_free_busy_request(std::string_view text);
// The METHOD:REPLY VFREEBUSY for one attendee: only the merged busy periods within the range, no details.
std::string free_busy_reply(const FreeBusyRequest& request, std::string_view attendee,
                            std::vector<std::pair<std::int64_t, std::int64_t>> busy);

}  // namespace bulwark::parse::ical

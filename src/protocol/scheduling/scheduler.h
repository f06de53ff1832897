// Server-side implicit scheduling (RFC 6638 3): what the server does when a calendar user writes or deletes a
// scheduling object resource, when an iMIP message (RFC 6047) arrives by mail, and when a client asks for
// free/busy through the schedule outbox (RFC 6638 5).
//
//  - Organizer writes (ORGANIZER is one of the principal's addresses): iTIP REQUEST to every attendee, CANCEL
//    to attendees removed since the previous version; organizer deletes: CANCEL to every attendee.
//  - Attendee writes with a changed PARTSTAT: iTIP REPLY to the organizer; attendee deletes: REPLY DECLINED.
//  - Local recipients (the directory resolves the address to accounts) get the message in their schedule inbox
//    and on their calendar in one store call (DavStore::deliver_scheduling_message with the DeliveryTarget the
//    directory issued, never the sender's Principal). Remote ones get an iMIP mail through the outbound queue.
//  - SCHEDULE-AGENT=CLIENT / NONE on the ORGANIZER or an ATTENDEE leaves that delivery to the client.
//
// Synchronous and blocking (directory, stores, libical): callers run it on the blocking pool. A failed delivery
// never fails the write that caused it; it is logged and shows in SCHEDULE-STATUS.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "parse/ical/itip.h"
#include "protocol/services.h"

namespace bulwark::protocol::scheduling {

// RFC 6638 3.2.9 schedule status codes the server writes.
inline constexpr std::string_view kStatusSent = "1.1";       // handed to the outbound queue (remote)
inline constexpr std::string_view kStatusDelivered = "1.2";  // in the recipient's schedule inbox
inline constexpr std::string_view kStatusNoUser = "3.7";     // invalid calendar user
inline constexpr std::string_view kStatusFailed = "5.1";     // could not be delivered

// The decision taken before the write (so SCHEDULE-STATUS is part of what is stored), carried out after it.
struct PutPlan {
  enum class Role { none, organizer, attendee };
  Role role = Role::none;
  std::string content;           // what to store: the body, with SCHEDULE-STATUS when the principal organizes
  bool is_content_changed = false;  // content differs from the body (the PUT answer then carries no ETag)
  std::string self;              // the principal's address used in the object
  std::string new_object;        // the object as stored
  std::optional<std::string> old_object;
  std::vector<std::string> requests;  // organizer: attendees to send a REQUEST
  std::vector<std::string> cancels;   // organizer: attendees removed since the old version
  std::string organizer;              // attendee: where the REPLY goes
  bool send_reply = false;
};

class Scheduler {
 public:
  explicit Scheduler(Services& services) : services_(services) {}

  // For a PUT of `body` replacing `old_object` (nullopt: new) in one of the principal's calendars.
  PutPlan plan_put(const store::Principal& who, std::optional<std::string> old_object, std::string_view body);
  // After the write succeeded: sends what the plan says. Returns how many messages were delivered or queued.
  std::size_t execute(const store::Principal& who, const PutPlan& plan);
  // After the principal deleted a calendar object with this content.
  std::size_t after_delete(const store::Principal& who, std::string_view old_object);

  // An iMIP message arrived by mail for a local account (already kept in its INBOX). It goes to the schedule
  // inbox; `is_trusted_sender` (the mail came from an authenticated local user whose addresses include the
  // iTIP sender) also applies it to the calendar. Errors are for the log only.
  Status deliver_inbound(const store::DeliveryTarget& target, std::string_view calendar, bool is_trusted_sender,
                         const std::vector<std::string>& sender_addresses);

  // A POST to the schedule outbox (RFC 6638 5): the CALDAV:schedule-response XML, or an error for the client.
  Result<std::string> free_busy_response(const store::Principal& who, std::string_view body);

  // The principal's calendar user addresses (calendar-user-address-set), lower-case.
  std::vector<std::string> addresses_of(const store::Principal& who);

 private:
  // One message to one address. Returns the SCHEDULE-STATUS it earned.
  std::string send(const store::Principal& who, const std::string& from, const std::string& to,
                   const std::string& method, const std::string& itip, const parse::ical::SchedulingObject& about);
  std::string deliver_local(const store::DeliveryTarget& target, const std::string& recipient,
                            const std::string& method, const std::string& itip,
                            const parse::ical::SchedulingObject& about, const std::string& sender);
  std::string queue_remote(const store::Principal& who, const std::string& from, const std::string& to,
                           const std::string& method, const std::string& itip,
                           const parse::ical::SchedulingObject& about);

  Services& services_;
};

}  // namespace bulwark::protocol::scheduling

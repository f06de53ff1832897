#include "parse/ical/itip.h"

#include <gtest/gtest.h>

namespace bulwark::parse::ical {
namespace {

const std::string kInvitation =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:m1\r\n"
    "DTSTAMP:20270101T000000Z\r\nDTSTART:20270301T100000Z\r\nDTEND:20270301T110000Z\r\nSUMMARY:Planning\r\n"
    "ORGANIZER;CN=Alice:mailto:Alice@Example.org\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.org\r\n"
    "ATTENDEE;PARTSTAT=NEEDS-ACTION;SCHEDULE-STATUS=1.2:mailto:bob@example.org\r\n"
    "ATTENDEE;SCHEDULE-AGENT=CLIENT:mailto:carol@example.org\r\n"
    "ATTENDEE:urn:uuid:not-a-mail-address\r\n"
    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nDESCRIPTION:x\r\nEND:VALARM\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n";

std::string unfold(std::string text) {
  for (auto pos = text.find("\r\n "); pos != std::string::npos; pos = text.find("\r\n ")) text.erase(pos, 3);
  return text;
}

TEST(Itip, CalendarAddressNormalizesMailtoOnly) {
  EXPECT_EQ(calendar_address("mailto:Bob@Example.ORG"), "bob@example.org");
  EXPECT_EQ(calendar_address("MAILTO:bob@example.org"), "bob@example.org");
  EXPECT_EQ(calendar_address("urn:uuid:1234"), "");
  EXPECT_EQ(calendar_address("mailto:nobody"), "");
  EXPECT_EQ(calendar_address(""), "");
}

TEST(Itip, ReadsOrganizerAttendeesAndTheirScheduling) {
  auto o = read_scheduling_object(kInvitation);
  ASSERT_TRUE(o) << o.error().detail;
  EXPECT_EQ(o->method, "");
  EXPECT_EQ(o->uid, "m1");
  EXPECT_EQ(o->component, "VEVENT");
  EXPECT_EQ(o->summary, "Planning");
  ASSERT_TRUE(o->organizer);
  EXPECT_EQ(o->organizer->address, "alice@example.org");
  ASSERT_EQ(o->attendees.size(), 3u);  // the urn: attendee is no calendar user we can reach
  EXPECT_EQ(o->attendees[1].address, "bob@example.org");
  EXPECT_EQ(o->attendees[1].partstat, "NEEDS-ACTION");
  EXPECT_FALSE(o->attendees[1].is_client_scheduled);
  EXPECT_TRUE(o->attendees[2].is_client_scheduled);
  EXPECT_EQ(o->attendees[2].partstat, "NEEDS-ACTION");  // absent means NEEDS-ACTION
  EXPECT_EQ(o->start, 1803895200);
}

TEST(Itip, RequestAndCancelCarryTheMethodWithoutServerParameters) {
  auto request = make_request(kInvitation);
  ASSERT_TRUE(request);
  auto text = unfold(*request);
  EXPECT_NE(text.find("METHOD:REQUEST"), std::string::npos);
  EXPECT_EQ(text.find("SCHEDULE-STATUS"), std::string::npos);
  auto cancel = make_cancel(kInvitation);
  ASSERT_TRUE(cancel);
  auto c = read_scheduling_object(*cancel);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->method, "CANCEL");
  EXPECT_TRUE(c->is_cancelled);
}

TEST(Itip, ReplyKeepsOnlyTheReplyingAttendee) {
  auto reply = make_reply(kInvitation, "bob@example.org", "ACCEPTED");
  ASSERT_TRUE(reply);
  auto r = read_scheduling_object(*reply);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->method, "REPLY");
  ASSERT_EQ(r->attendees.size(), 1u);
  EXPECT_EQ(r->attendees[0].address, "bob@example.org");
  EXPECT_EQ(r->attendees[0].partstat, "ACCEPTED");
  EXPECT_EQ(reply->find("VALARM"), std::string::npos);  // the attendee's alarms are its own business
}

TEST(Itip, ApplyReplyChangesOnlyAKnownAttendee) {
  auto reply = make_reply(kInvitation, "bob@example.org", "TENTATIVE");
  ASSERT_TRUE(reply);
  auto updated = apply_reply(kInvitation, *reply);
  ASSERT_TRUE(updated);
  ASSERT_TRUE(*updated);
  auto o = read_scheduling_object(**updated);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->attendees[1].partstat, "TENTATIVE");
  EXPECT_EQ(o->attendees[0].partstat, "ACCEPTED");
  // A reply from someone who is not invited changes nothing.
  std::string stranger = *reply;
  stranger.replace(stranger.find("bob@example.org"), 15, "eve@example.org");
  auto ignored = apply_reply(kInvitation, stranger);
  ASSERT_TRUE(ignored);
  EXPECT_FALSE(*ignored);
}

TEST(Itip, ScheduleStatusAttendeeCopyAndCancelledCopy) {
  auto with_status = set_schedule_status(kInvitation, {{"bob@example.org", "3.7"}});
  ASSERT_TRUE(with_status);
  EXPECT_NE(unfold(*with_status).find("SCHEDULE-STATUS=3.7"), std::string::npos);
  EXPECT_EQ(unfold(*with_status).find("SCHEDULE-STATUS=1.2"), std::string::npos);
  auto request = make_request(*with_status);
  ASSERT_TRUE(request);
  auto copy = attendee_copy(*request);
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->find("METHOD"), std::string::npos);
  EXPECT_EQ(copy->find("SCHEDULE-STATUS"), std::string::npos);
  auto cancelled = cancelled_copy(*copy);
  ASSERT_TRUE(cancelled);
  auto c = read_scheduling_object(*cancelled);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->is_cancelled);
  EXPECT_EQ(c->method, "");
}

TEST(Itip, FreeBusyRequestAndReply) {
  const std::string request =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\nBEGIN:VFREEBUSY\r\nUID:fb\r\n"
      "DTSTAMP:20270101T000000Z\r\nDTSTART:20270301T000000Z\r\nDTEND:20270302T000000Z\r\n"
      "ORGANIZER:mailto:alice@example.org\r\nATTENDEE:mailto:bob@example.org\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n";
  auto fb = read_free_busy_request(request);
  ASSERT_TRUE(fb) << fb.error().detail;
  EXPECT_EQ(fb->organizer, "alice@example.org");
  ASSERT_EQ(fb->attendees.size(), 1u);
  EXPECT_EQ(fb->range.end - fb->range.start, 86400);
  // Overlapping periods merge; periods outside the range are clipped away.
  auto reply = free_busy_reply(*fb, fb->attendees[0],
                               {{fb->range.start + 3600, fb->range.start + 7200},
                                {fb->range.start + 5400, fb->range.start + 9000},
                                {fb->range.start - 7200, fb->range.start - 3600}});
  EXPECT_NE(reply.find("METHOD:REPLY"), std::string::npos);
  EXPECT_NE(reply.find("FREEBUSY:20270301T010000Z/20270301T023000Z\r\n"), std::string::npos);
  EXPECT_EQ(reply.find("FREEBUSY:20270228"), std::string::npos);
  EXPECT_FALSE(read_free_busy_request(kInvitation));  // no VFREEBUSY
}

}  // namespace
}  // namespace bulwark::parse::ical

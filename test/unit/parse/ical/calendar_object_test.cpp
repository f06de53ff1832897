#include "parse/ical/calendar_object.h"

#include <gtest/gtest.h>

#include <limits>

namespace bulwark::parse::ical {
namespace {

std::string calendar(const std::string& body) {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + body + "END:VCALENDAR\r\n";
}

std::string event(const std::string& uid, const std::string& extra) {
  return "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20260101T000000Z\r\n" + extra + "END:VEVENT\r\n";
}

TEST(CalendarObject, AcceptsAnEventAndIndexesItsSpan) {
  auto object = check_calendar_object(
      calendar(event("e1", "DTSTART:20260105T100000Z\r\nDTEND:20260105T110000Z\r\n")), "VEVENT,VTODO", {});
  ASSERT_TRUE(object) << object.error().detail;
  EXPECT_EQ(object->uid, "e1");
  EXPECT_EQ(object->component, "VEVENT");
  EXPECT_EQ(object->start, 1767607200);
  EXPECT_EQ(object->end, 1767610800);
  EXPECT_FALSE(object->is_recurring);
}

TEST(CalendarObject, BoundedRuleEndsAtItsLastInstance) {
  auto object = check_calendar_object(
      calendar(event("r", "DTSTART:20260105T100000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY;COUNT=3\r\n")), "VEVENT", {});
  ASSERT_TRUE(object);
  EXPECT_TRUE(object->is_recurring);
  EXPECT_EQ(object->end, 1767607200 + 2 * 86400 + 3600);
}

TEST(CalendarObject, UnboundedOrHugeRulesReachForever) {
  CalendarLimits limits;
  limits.max_instances = 100;
  auto unbounded = check_calendar_object(calendar(event("r", "DTSTART:20260105T100000Z\r\nRRULE:FREQ=WEEKLY\r\n")),
                                         "VEVENT", limits);
  ASSERT_TRUE(unbounded);
  EXPECT_EQ(unbounded->end, std::numeric_limits<std::int64_t>::max());
  auto huge = check_calendar_object(
      calendar(event("r", "DTSTART:20260105T100000Z\r\nRRULE:FREQ=SECONDLY;COUNT=50000000\r\n")), "VEVENT", limits);
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->end, std::numeric_limits<std::int64_t>::max());
}

struct Bad {
  std::string text;
  std::string precondition;
};

class CalendarObjectBad : public ::testing::TestWithParam<Bad> {};

TEST_P(CalendarObjectBad, Refused) {
  auto object = check_calendar_object(GetParam().text, "VEVENT,VTODO", {});
  ASSERT_FALSE(object);
  EXPECT_EQ(object.error().precondition, GetParam().precondition) << object.error().detail;
  EXPECT_FALSE(object.error().detail.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, CalendarObjectBad,
    ::testing::Values(
        Bad{"not a calendar", "valid-calendar-data"},
        Bad{"BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n", "valid-calendar-data"},
        Bad{calendar(event("e", "DTSTART:not-a-date\r\n")), "valid-calendar-data"},
        Bad{calendar(event("e", "DTSTART:20261305T100000Z\r\n")), "valid-calendar-data"},
        Bad{calendar(event("e", "")), "valid-calendar-data"},
        Bad{calendar("BEGIN:VEVENT\r\nDTSTART:20260105T100000Z\r\nEND:VEVENT\r\n"), "valid-calendar-object-resource"},
        Bad{calendar(event("a", "DTSTART:20260105T100000Z\r\n") + event("b", "DTSTART:20260105T100000Z\r\n")),
            "valid-calendar-object-resource"},
        Bad{calendar(event("a", "DTSTART:20260105T100000Z\r\n") +
                     "BEGIN:VTODO\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\nEND:VTODO\r\n"),
            "valid-calendar-object-resource"},
        Bad{calendar("BEGIN:VJOURNAL\r\nUID:j\r\nDTSTAMP:20260101T000000Z\r\nEND:VJOURNAL\r\n"),
            "supported-calendar-component"},
        Bad{calendar(""), "valid-calendar-object-resource"},
        // Never matches, and libical would scan second by second until the year 2582.
        Bad{calendar(event("e", "DTSTART:20260105T100000Z\r\nRRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30\r\n")),
            "valid-calendar-data"}));

}  // namespace
}  // namespace bulwark::parse::ical

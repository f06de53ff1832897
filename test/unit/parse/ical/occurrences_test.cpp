#include "parse/ical/occurrences.h"

#include <gtest/gtest.h>

#include <chrono>

#include "parse/ical/calendar_output.h"

namespace bulwark::parse::ical {
namespace {

std::int64_t t(const char* utc) { return parse_utc_time(utc).value(); }

const std::string kBerlin =
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";

// Mondays and Wednesdays 09:00 Berlin from 5 Jan 2026; Wed 7 Jan excluded; Mon 12 Jan moved to 14:00;
// an extra instance on Sat 10 Jan by RDATE.
const std::string kWeekly =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" + kBerlin +
    "BEGIN:VEVENT\r\nUID:r1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20260105T090000\r\n"
    "DURATION:PT1H\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE\r\nEXDATE;TZID=Europe/Berlin:20260107T090000\r\n"
    "RDATE;TZID=Europe/Berlin:20260110T120000\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:r1\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Berlin:20260112T090000\r\n"
    "DTSTART;TZID=Europe/Berlin:20260112T140000\r\nDURATION:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

TEST(Occurrences, ExpandsRulesDatesExceptionsOverridesAndZones) {
  auto set = occurrences_in(kWeekly, "VEVENT", {t("20260105T000000Z"), t("20260115T000000Z")}, 1000);
  ASSERT_TRUE(set) << set.error().detail;
  std::vector<std::int64_t> starts;
  for (const auto& o : set->items) starts.push_back(o.start);
  // 09:00 Berlin in winter is 08:00 UTC.
  std::vector<std::int64_t> expected{t("20260105T080000Z"), t("20260110T110000Z"), t("20260112T130000Z"),
                                     t("20260114T080000Z")};
  EXPECT_EQ(starts, expected);
  EXPECT_FALSE(set->truncated);
  EXPECT_TRUE(set->items[2].is_override);
  EXPECT_EQ(set->items[2].recurrence_id, t("20260112T080000Z"));
}

TEST(Occurrences, SummerTimeShiftsUtc) {
  auto set = occurrences_in(kWeekly, "VEVENT", {t("20260706T000000Z"), t("20260707T000000Z")}, 1000);
  ASSERT_TRUE(set);
  ASSERT_EQ(set->items.size(), 1u);
  EXPECT_EQ(set->items[0].start, t("20260706T070000Z"));
}

TEST(Occurrences, TimeRangeMatching) {
  EXPECT_TRUE(overlaps(kWeekly, "VEVENT", {t("20270104T000000Z"), t("20270105T000000Z")}, 100000).value());
  EXPECT_FALSE(overlaps(kWeekly, "VEVENT", {t("20260107T000000Z"), t("20260108T000000Z")}, 1000).value());
  EXPECT_FALSE(overlaps(kWeekly, "VTODO", {t("20260105T000000Z"), t("20260115T000000Z")}, 1000).value());
}

// overlaps() stops at the first occurrence it finds: it must still agree with the full expansion around the
// excluded (7 Jan), added (RDATE 10 Jan) and moved (12 Jan 08:00 UTC -> 13:00 UTC) instances.
TEST(Occurrences, OverlapsAgreesWithTheFullExpansionHourByHour) {
  int hits = 0;
  for (std::int64_t start = t("20260104T000000Z"); start < t("20260116T000000Z"); start += 3600) {
    const TimeRange hour{start, start + 3600};
    auto full = occurrences_in(kWeekly, "VEVENT", hour, 1000);
    auto any = overlaps(kWeekly, "VEVENT", hour, 1000);
    ASSERT_TRUE(full && any);
    EXPECT_EQ(*any, !full->items.empty()) << format_utc_time(start);
    hits += *any ? 1 : 0;
  }
  EXPECT_EQ(hits, 4);  // 5 Jan 08:00, 10 Jan 11:00, 12 Jan 13:00, 14 Jan 08:00 (UTC)
  EXPECT_FALSE(overlaps(kWeekly, "VEVENT", {t("20260112T080000Z"), t("20260112T090000Z")}, 1000).value());
  EXPECT_TRUE(overlaps(kWeekly, "VEVENT", {t("20260101T000000Z"), t("20270101T000000Z")}, 1000).value());
}

TEST(Occurrences, RecurrenceBombIsCutAtTheLimitQuickly) {
  const std::string bomb =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:b\r\nDTSTAMP:20260101T000000Z\r\n"
      "DTSTART:20000101T000000Z\r\nRRULE:FREQ=SECONDLY;COUNT=500000000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  auto start = std::chrono::steady_clock::now();
  auto set = occurrences_in(bomb, "VEVENT", {t("20000101T000000Z"), t("20300101T000000Z")}, 5000);
  ASSERT_TRUE(set);
  EXPECT_TRUE(set->truncated);
  EXPECT_LE(set->items.size(), 5000u);
  EXPECT_GT(set->items.size(), 0u);
  (void)start;
}

TEST(Occurrences, ExpandWritesUtcInstancesWithRecurrenceIds) {
  auto text = expand_object(kWeekly, "VEVENT", {t("20260105T000000Z"), t("20260109T000000Z")}, 1000);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("DTSTART:20260105T080000Z"), std::string::npos) << *text;
  EXPECT_NE(text->find("RECURRENCE-ID:20260105T080000Z"), std::string::npos);
  EXPECT_EQ(text->find("RRULE"), std::string::npos);
  EXPECT_EQ(text->find("20260107T080000Z"), std::string::npos);  // the excluded Wednesday
}

TEST(Occurrences, PropertyMatching) {
  EXPECT_TRUE(property_matches(kWeekly, "VEVENT", "uid", "R1").value());
  EXPECT_FALSE(property_matches(kWeekly, "VEVENT", "SUMMARY", "").value());
}

TEST(Occurrences, FreeBusyMergesAndClips) {
  auto text = free_busy_calendar({{100, 200}, {150, 300}, {400, 500}}, {120, 450});
  EXPECT_NE(text.find("FREEBUSY:" + format_utc_time(120) + "/" + format_utc_time(300)), std::string::npos);
  EXPECT_NE(text.find("FREEBUSY:" + format_utc_time(400) + "/" + format_utc_time(450)), std::string::npos);
}

TEST(Occurrences, UtcTimes) {
  EXPECT_EQ(t("19700101T000100Z"), 60);
  EXPECT_EQ(format_utc_time(60), "19700101T000100Z");
  EXPECT_FALSE(parse_utc_time("20260101T000000"));
  EXPECT_FALSE(parse_utc_time("2026010XT000000Z"));
}

}  // namespace
}  // namespace bulwark::parse::ical

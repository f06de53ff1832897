// SORT ordering (RFC 5256 3, RFC 5957) and the sent date of RFC 5256 2.2.
#include "protocol/imap/sort_order.h"

#include <gtest/gtest.h>

#include "parse/imap/command_parser.h"
#include "parse/mime/header.h"
#include "protocol/imap/response_format.h"

namespace bulwark::protocol::imap {
namespace {

std::vector<parse::imap::SortCriterion> criteria(const std::string& text) {
  auto command = parse::imap::parse_command("t SORT (" + text + ") UTF-8 ALL");
  EXPECT_TRUE(command) << text;
  return std::get<parse::imap::SortArgs>(command->args).criteria;
}

SortValues from_header(std::uint32_t number, std::int64_t internal_date, std::uint64_t size, const std::string& header) {
  SortValues values;
  values.number = number;
  values.arrival = internal_date;
  values.size = size;
  fill_sort_values(parse::mime::build_envelope(parse::mime::parse_header(header)), internal_date, values);
  return values;
}

TEST(SortDateTest, Rfc5322DateTime) {
  const std::int64_t base = days_from_civil(2003, 7, 1) * 86400;
  EXPECT_EQ(rfc5322_date_time("Tue, 1 Jul 2003 10:52:37 +0200"), base + 8 * 3600 + 52 * 60 + 37);
  EXPECT_EQ(rfc5322_date_time("1 Jul 2003 10:52 -0130"), base + 12 * 3600 + 22 * 60);
  EXPECT_EQ(rfc5322_date_time("Tue, 01 jul 03 10:52:37 GMT (comment)"), base + 10 * 3600 + 52 * 60 + 37);
  EXPECT_EQ(rfc5322_date_time("Tue,1 Jul 2003 10:52:37 EDT"), base + 14 * 3600 + 52 * 60 + 37);
  EXPECT_EQ(rfc5322_date_time("1 Jul 2003 10:52:37 XYZ"), base + 10 * 3600 + 52 * 60 + 37);
  EXPECT_FALSE(rfc5322_date_time(""));
  EXPECT_FALSE(rfc5322_date_time("yesterday"));
  EXPECT_FALSE(rfc5322_date_time("1 Foo 2003 10:52:37 +0000"));
  EXPECT_FALSE(rfc5322_date_time("1 Jul 2003 25:52:37 +0000"));
  EXPECT_FALSE(rfc5322_date_time("32 Jul 2003 10:52:37 +0000"));
}

TEST(SortValuesTest, FromEnvelope) {
  auto v = from_header(1, 1000,  10,
                       "From: =?UTF-8?Q?Z=C3=A9lie?= <Zed@example.org>\r\nTo: undisclosed-recipients:;, bob@example.org\r\n"
                       "Cc: \"Carol\" <carol@example.org>\r\n"
                       "Subject: =?UTF-8?Q?Re=3A_=5Blist=5D_Caf=C3=A9?= (fwd)\r\nDate: bogus\r\n\r\n");
  EXPECT_EQ(v.from, "Zed");
  EXPECT_EQ(v.to, "bob");
  EXPECT_EQ(v.cc, "carol");
  EXPECT_EQ(v.subject, "Caf\xc3\xa9");
  EXPECT_EQ(v.display_from, "Z\xc3\xa9lie");
  EXPECT_EQ(v.display_to, "bob@example.org");
  EXPECT_EQ(v.sent_date, 1000);  // unreadable Date: INTERNALDATE (RFC 5256 2.2)
  auto empty = from_header(2, 7, 1, "X: y\r\n\r\n");
  EXPECT_EQ(empty.from, "");
  EXPECT_EQ(empty.subject, "");
  EXPECT_EQ(empty.sent_date, 7);
}

TEST(SortOrderTest, Criteria) {
  std::vector<SortValues> messages{
      from_header(1, 300, 50, "From: b@x\r\nTo: m@x\r\nSubject: Re: beta\r\nDate: 1 Jan 2020 00:00:00 +0000\r\n\r\n"),
      from_header(2, 100, 70, "From: A@x\r\nTo: k@x\r\nSubject: alpha\r\nDate: 3 Jan 2020 00:00:00 +0000\r\n\r\n"),
      from_header(3, 200, 50, "From: c@x\r\nCc: z@x\r\nSubject: Beta\r\nDate: 2 Jan 2020 00:00:00 +0000\r\n\r\n"),
      from_header(4, 200, 60, "From: a@x\r\nTo: l@x\r\nSubject: [x] Alpha\r\n\r\n"),  // sent date = arrival 200
  };
  auto order = [&](const std::string& text) { return sort_numbers(messages, criteria(text)); };
  using V = std::vector<std::uint32_t>;
  EXPECT_EQ(order("ARRIVAL"), (V{2, 3, 4, 1}));
  EXPECT_EQ(order("REVERSE ARRIVAL"), (V{1, 3, 4, 2}));  // ties keep message order even when reversed
  EXPECT_EQ(order("DATE"), (V{4, 1, 3, 2}));
  EXPECT_EQ(order("SIZE"), (V{1, 3, 4, 2}));
  EXPECT_EQ(order("SUBJECT"), (V{2, 4, 1, 3}));
  EXPECT_EQ(order("SUBJECT REVERSE DATE"), (V{2, 4, 3, 1}));
  EXPECT_EQ(order("FROM"), (V{2, 4, 1, 3}));  // "A" and "a" are equal under i;ascii-casemap
  EXPECT_EQ(order("TO"), (V{3, 2, 4, 1}));    // no To sorts as ""
  EXPECT_EQ(order("CC SIZE"), (V{1, 4, 2, 3}));
  EXPECT_EQ(order("REVERSE SIZE SUBJECT"), (V{2, 4, 1, 3}));
  EXPECT_EQ(order("DISPLAYFROM"), (V{2, 4, 1, 3}));
  EXPECT_TRUE(sort_numbers({}, criteria("DATE")).empty());
}

}  // namespace
}  // namespace bulwark::protocol::imap

#include "protocol/scheduling/imip_message.h"

#include <gtest/gtest.h>

namespace bulwark::protocol::scheduling {
namespace {

const std::string kCalendar =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:m1\r\n"
    "DTSTAMP:20270101T000000Z\r\nDTSTART:20270301T100000Z\r\nSUMMARY:Grüße\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

TEST(ImipMessage, BuildsAMessageItsOwnReaderFindsAgain) {
  ImipOutgoing out;
  out.from = "alice@example.org";
  out.to = "carol@remote.example";
  out.method = "REQUEST";
  out.summary = "Grüße\r\nBcc: evil@example.org";  // header injection attempt
  out.calendar = kCalendar;
  out.message_id = "imip.1@mail.test";
  out.date = 1803895200;
  auto message = build_imip_message(out);
  EXPECT_NE(message.find("From: <alice@example.org>\r\n"), std::string::npos);
  EXPECT_NE(message.find("Content-Type: multipart/alternative;"), std::string::npos);
  EXPECT_NE(message.find("Content-Type: text/calendar; method=REQUEST; charset=utf-8\r\n"), std::string::npos);
  EXPECT_EQ(message.find("\r\nBcc:"), std::string::npos);
  EXPECT_NE(message.find("Subject: =?UTF-8?B?"), std::string::npos);
  for (std::size_t pos = 0, next; (next = message.find("\r\n", pos)) != std::string::npos; pos = next + 2) {
    EXPECT_LE(next - pos, 998u);
  }
  auto found = find_imip_part(message, 1 << 20);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->method, "REQUEST");
  EXPECT_EQ(found->calendar, kCalendar);
}

TEST(ImipMessage, FindsPlainAndQuotedPrintableParts) {
  const std::string plain = "Content-Type: text/calendar; method=reply\r\n\r\n" + kCalendar;
  auto found = find_imip_part(plain, 1 << 20);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->method, "REPLY");
  EXPECT_NE(found->calendar.find("UID:m1"), std::string::npos);
  const std::string qp =
      "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n--x\r\n"
      "Content-Type: text/calendar\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nBEGIN:VCALENDAR=\r\n"
      "\r\n--x--\r\n";
  found = find_imip_part(qp, 1 << 20);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->method, "");
  EXPECT_EQ(found->calendar.substr(0, 15), "BEGIN:VCALENDAR");
  EXPECT_FALSE(find_imip_part("Content-Type: text/plain\r\n\r\nno calendar\r\n", 1 << 20));
  EXPECT_FALSE(find_imip_part(plain, 10));  // larger than the limit
}

}  // namespace
}  // namespace bulwark::protocol::scheduling

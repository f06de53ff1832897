// Dates (RFC 9051 9), modified UTF-7 mailbox names (RFC 9051 5.1.3) and response quoting helpers.
#include <gtest/gtest.h>

#include "parse/imap/date_time.h"
#include "parse/imap/mailbox_name.h"
#include "parse/imap/response_writer.h"

namespace bulwark::parse::imap {
namespace {

struct DateRow {
  const char* text;
  bool is_valid;
  Date expected;
};

class DateTable : public ::testing::TestWithParam<DateRow> {};

TEST_P(DateTable, Parses) {
  const DateRow& row = GetParam();
  auto date = parse_date(row.text);
  ASSERT_EQ(date.has_value(), row.is_valid) << row.text;
  if (date) {
    EXPECT_EQ(*date, row.expected);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rows, DateTable,
    ::testing::Values(DateRow{"1-Feb-1994", true, {1994, 2, 1}}, DateRow{"01-feb-1994", true, {1994, 2, 1}},
                      DateRow{"\"31-Dec-2023\"", true, {2023, 12, 31}}, DateRow{"29-Feb-2024", true, {2024, 2, 29}},
                      DateRow{"29-Feb-2000", true, {2000, 2, 29}}, DateRow{"29-Feb-2023", false, {}},
                      DateRow{"29-Feb-1900", false, {}}, DateRow{"31-Apr-2000", false, {}},
                      DateRow{"0-Jan-2000", false, {}}, DateRow{"001-Jan-2000", false, {}},
                      DateRow{"1-Jan-99", false, {}}, DateRow{"1-Janu-1999", false, {}},
                      DateRow{"1 Jan 1999", false, {}}, DateRow{"", false, {}}, DateRow{"\"", false, {}},
                      DateRow{"1-Jan-19x9", false, {}}, DateRow{"\"1-Jan-1999", false, {}}));

TEST(DateTime, ParsesAndFormats) {
  auto value = parse_date_time("\"17-Jul-1996 02:44:25 -0700\"");
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(value->date, (Date{1996, 7, 17}));
  EXPECT_EQ(value->hour, 2);
  EXPECT_EQ(value->minute, 44);
  EXPECT_EQ(value->second, 25);
  EXPECT_EQ(value->zone_minutes, -420);
  EXPECT_EQ(format_date_time(*value), "\"17-Jul-1996 02:44:25 -0700\"");
  auto padded = parse_date_time("\" 7-Jul-1996 23:59:60 +0530\"");
  ASSERT_TRUE(padded.has_value());
  EXPECT_EQ(padded->zone_minutes, 330);
  for (const char* bad : {"17-Jul-1996 02:44:25 -0700", "\"17-Jul-1996 24:00:00 -0700\"",
                          "\"17-Jul-1996 02:60:00 -0700\"", "\"17-Jul-1996 02:44:25 0700\"",
                          "\"17-Jul-1996 02:44:25 -07000\"", "\"7-Jul-1996 02:44:25 -0700\"",
                          "\"17-Jul-1996 02:44 -0700\"", "\"17-Jul-1996T02:44:25 -0700\"",
                          "\"17-Jul-1996 02:44:25 -0760\"", "\"32-Jul-1996 02:44:25 -0700\""}) {
    EXPECT_FALSE(parse_date_time(bad).has_value()) << bad;
  }
}

struct Utf7Row {
  const char* utf8;
  const char* wire;
};

class ModifiedUtf7 : public ::testing::TestWithParam<Utf7Row> {};

TEST_P(ModifiedUtf7, RoundTrips) {
  const Utf7Row& row = GetParam();
  EXPECT_EQ(encode_modified_utf7(row.utf8).value_or("<error>"), row.wire);
  EXPECT_EQ(decode_modified_utf7(row.wire).value_or("<error>"), row.utf8);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, ModifiedUtf7,
    ::testing::Values(Utf7Row{"INBOX", "INBOX"}, Utf7Row{"a&b", "a&-b"}, Utf7Row{"&", "&-"},
                      Utf7Row{"Entw\xC3\xBC" "rfe", "Entw&APw-rfe"},
                      Utf7Row{"~peter/mail/\xE5\x8F\xB0\xE5\x8C\x97/\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",
                              "~peter/mail/&U,BTFw-/&ZeVnLIqe-"},
                      Utf7Row{"\xF0\x9F\x93\xA7", "&2D3c5w-"}, Utf7Row{"", ""},
                      Utf7Row{"\xE2\x82\xAC\xE2\x82\xAC", "&IKwgrA-"}));

TEST(ModifiedUtf7Decode, RejectsAmbiguousForms) {
  for (const char* bad : {"&", "&U,BTFw", "&AGE-", "&2D3-", "&3cc-", "&U,BTF-", "&U,BTFx-", "a\x80", "&!-",
                          "a\tb", "&2D3c5w", "&2D3YPQ-"}) {
    EXPECT_FALSE(decode_modified_utf7(bad).has_value()) << bad;
  }
  EXPECT_FALSE(encode_modified_utf7("\xC3").has_value());
  EXPECT_FALSE(encode_modified_utf7("\xED\xA0\x80").has_value());  // encoded surrogate
  EXPECT_FALSE(encode_modified_utf7("\xC0\xAF").has_value());      // overlong
}

TEST(MailboxName, InboxAndUtf8) {
  EXPECT_EQ(normalize_inbox("inBox"), "INBOX");
  EXPECT_EQ(normalize_inbox("inbox/a"), "INBOX/a");
  EXPECT_EQ(normalize_inbox("inbox.a"), "inbox.a");
  EXPECT_EQ(normalize_inbox("inbox.a", '.'), "INBOX.a");
  EXPECT_EQ(normalize_inbox("inboxa"), "inboxa");
  EXPECT_EQ(mailbox_to_utf8("Entw&APw-rfe", false).value_or(""), "Entw\xC3\xBC" "rfe");
  EXPECT_EQ(mailbox_to_utf8("a&b", true).value_or(""), "a&b");
  EXPECT_FALSE(mailbox_to_utf8("a\xC3", true).has_value());
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));
}

struct WriteRow {
  const char* value;
  const char* astring;
  const char* quoted_or_literal;
};

class WriteTable : public ::testing::TestWithParam<WriteRow> {};

TEST_P(WriteTable, ChoosesTheForm) {
  const WriteRow& row = GetParam();
  std::string a;
  write_astring(a, row.value);
  EXPECT_EQ(a, row.astring);
  std::string q;
  write_quoted_or_literal(q, row.value);
  EXPECT_EQ(q, row.quoted_or_literal);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, WriteTable,
    ::testing::Values(WriteRow{"INBOX", "INBOX", "\"INBOX\""}, WriteRow{"", "\"\"", "\"\""},
                      WriteRow{"a b", "\"a b\"", "\"a b\""}, WriteRow{"x]y", "x]y", "\"x]y\""},
                      WriteRow{"NIL", "\"NIL\"", "\"NIL\""}, WriteRow{"nil", "\"nil\"", "\"nil\""},
                      WriteRow{"a\"b\\c", "\"a\\\"b\\\\c\"", "\"a\\\"b\\\\c\""},
                      WriteRow{"a%", "\"a%\"", "\"a%\""}, WriteRow{"a{1}", "\"a{1}\"", "\"a{1}\""},
                      WriteRow{"line\r\nbreak", "{11}\r\nline\r\nbreak", "{11}\r\nline\r\nbreak"},
                      WriteRow{"\xC3\xBC", "{2}\r\n\xC3\xBC", "{2}\r\n\xC3\xBC"}));

TEST(ResponseWriter, Utf8NilLongAndNul) {
  std::string out;
  write_quoted_or_literal(out, "\xC3\xBC", true);
  EXPECT_EQ(out, "\"\xC3\xBC\"");
  out.clear();
  write_quoted_or_literal(out, "\xC3", true);
  EXPECT_EQ(out, "{1}\r\n\xC3");
  out.clear();
  write_nstring(out, std::nullopt);
  EXPECT_EQ(out, "NIL");
  out.clear();
  write_nstring(out, std::string_view("NIL"));
  EXPECT_EQ(out, "\"NIL\"");
  out.clear();
  const std::string long_value(kMaxQuotedBytes + 1, 'a');
  write_quoted_or_literal(out, long_value);
  EXPECT_EQ(out, "{1025}\r\n" + long_value);
  out.clear();
  write_quoted_or_literal(out, std::string_view("a\0b", 3));
  EXPECT_EQ(out, std::string("~{3}\r\na\0b", 9));
  out.clear();
  ASSERT_TRUE(write_mailbox(out, "Entw\xC3\xBC" "rfe").has_value());
  EXPECT_EQ(out, "Entw&APw-rfe");
  out.clear();
  ASSERT_TRUE(write_mailbox(out, "Entw\xC3\xBC" "rfe", true).has_value());
  EXPECT_EQ(out, "\"Entw\xC3\xBC" "rfe\"");
  out.clear();
  ASSERT_TRUE(write_mailbox(out, "a b&").has_value());
  EXPECT_EQ(out, "\"a b&-\"");
  EXPECT_FALSE(write_mailbox(out, "\xFF").has_value());
}

}  // namespace
}  // namespace bulwark::parse::imap

#include "parse/mime/section.h"

#include <gtest/gtest.h>

#include "sample_messages.h"

namespace bulwark::parse::mime {
namespace {

using testing::load_sample;

TEST(SectionSpec, Parses) {
  EXPECT_EQ(parse_section_spec("").value(), SectionSpec{});
  EXPECT_EQ(parse_section_spec("1.2.3").value(), (SectionSpec{{1, 2, 3}, SectionText::none, {}}));
  EXPECT_EQ(parse_section_spec("header").value(), (SectionSpec{{}, SectionText::header, {}}));
  EXPECT_EQ(parse_section_spec("2.TEXT").value(), (SectionSpec{{2}, SectionText::text, {}}));
  EXPECT_EQ(parse_section_spec("4.2.MIME").value(), (SectionSpec{{4, 2}, SectionText::mime, {}}));
  EXPECT_EQ(parse_section_spec("HEADER.FIELDS (From \"To\")").value(),
            (SectionSpec{{}, SectionText::header_fields, {"From", "To"}}));
  EXPECT_EQ(parse_section_spec("1.HEADER.FIELDS.NOT (Subject)").value(),
            (SectionSpec{{1}, SectionText::header_fields_not, {"Subject"}}));
}

TEST(SectionSpec, Rejects) {
  for (const char* bad : {"0", "1.", "1..2", "01", "MIME", "1.FOO", "HEADER.FIELDS", "HEADER.FIELDS ()",
                          "HEADER.FIELDS (a", "TEXT x", "99999999999", "1.2x"}) {
    EXPECT_EQ(parse_section_spec(bad).error().code, Errc::invalid_syntax) << bad;
  }
}

struct SectionCase {
  const char* file;
  const char* spec;
  std::string expected;  // the bytes of the range
};

class SectionRanges : public ::testing::TestWithParam<SectionCase> {};

TEST_P(SectionRanges, SelectTheRightBytes) {
  const auto& c = GetParam();
  const std::string raw = load_sample(c.file);
  const auto root = parse_message(raw);
  ASSERT_TRUE(root);
  const auto spec = parse_section_spec(c.spec);
  ASSERT_TRUE(spec) << c.spec;
  const auto range = section_range(*root, *spec);
  ASSERT_TRUE(range) << c.spec << ": " << range.error().detail;
  ASSERT_LE(range->offset + range->size, raw.size());
  EXPECT_EQ(raw.substr(range->offset, range->size), c.expected) << c.spec;
}

const std::string kEmbedded =
    "From: Judy <judy@example.net>\r\nTo: henry@example.org\r\nSubject: Meeting notes\r\n"
    "Date: Thu, 07 Nov 2024 17:00:00 +0000\r\nMessage-ID: <notes-7@example.net>\r\nMIME-Version: 1.0\r\n"
    "Content-Type: multipart/alternative; boundary=inner\r\n\r\n";
const std::string kEmbeddedBody =
    "--inner\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n1. Budget\r\n2. Hiring\r\n--inner\r\n"
    "Content-Type: text/html; charset=utf-8\r\n\r\n<ol><li>Budget</li><li>Hiring</li></ol>\r\n--inner--\r\n";

INSTANTIATE_TEST_SUITE_P(
    Cases, SectionRanges,
    ::testing::Values(
        SectionCase{"nested_rfc822.eml", "1", "See the forwarded message.\r\n"},
        SectionCase{"nested_rfc822.eml", "1.MIME", "Content-Type: text/plain\r\n\r\n"},
        SectionCase{"nested_rfc822.eml", "2", kEmbedded + kEmbeddedBody},
        SectionCase{"nested_rfc822.eml", "2.MIME", "Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n"},
        SectionCase{"nested_rfc822.eml", "2.HEADER", kEmbedded},
        SectionCase{"nested_rfc822.eml", "2.HEADER.FIELDS (Subject)", kEmbedded},
        SectionCase{"nested_rfc822.eml", "2.TEXT", kEmbeddedBody},
        SectionCase{"nested_rfc822.eml", "2.1", "1. Budget\r\n2. Hiring"},
        SectionCase{"nested_rfc822.eml", "2.2", "<ol><li>Budget</li><li>Hiring</li></ol>"},
        SectionCase{"nested_rfc822.eml", "2.2.MIME", "Content-Type: text/html; charset=utf-8\r\n\r\n"},
        SectionCase{"simple.eml", "1", "Hi Bob,\r\n\r\nare you free for lunch on Friday?\r\n\r\nAlice\r\n"},
        SectionCase{"simple.eml", "TEXT", "Hi Bob,\r\n\r\nare you free for lunch on Friday?\r\n\r\nAlice\r\n"},
        SectionCase{"digest.eml", "1.1", "one"},
        SectionCase{"digest.eml", "1.HEADER", "From: a@example.com\r\nSubject: first\r\n\r\n"},
        SectionCase{"digest.eml", "1.MIME", "\r\n"},
        SectionCase{"digest.eml", "2", "not a message"},
        SectionCase{"missing_boundary.eml", "2.1", "inner part, no closing boundary anywhere\r\n"},
        SectionCase{"malformed_bare_lf.eml", "TEXT", "body with bare LF\nline 2"}),
    [](const auto& name_info) {
      std::string name = std::string(name_info.param.file).substr(0, std::string(name_info.param.file).find('.')) + "_" +
                         name_info.param.spec;
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name + "_" + std::to_string(name_info.index);
    });

TEST(SectionRange, WholeMessageHeaderAndText) {
  const std::string raw = "Subject: x\r\n\r\nbody\r\n";
  const auto root = parse_message(raw).value();
  EXPECT_EQ(section_range(root, parse_section_spec("").value()).value(), (ByteRange{0, 20}));
  EXPECT_EQ(section_range(root, parse_section_spec("HEADER").value()).value(), (ByteRange{0, 14}));
  EXPECT_EQ(section_range(root, parse_section_spec("TEXT").value()).value(), (ByteRange{14, 6}));
  EXPECT_EQ(section_range(root, parse_section_spec("1").value()).value(), (ByteRange{14, 6}));
  EXPECT_EQ(section_range(root, parse_section_spec("1.MIME").value()).value(), (ByteRange{0, 14}));
}

TEST(SectionRange, Errors) {
  const std::string raw = load_sample("nested_rfc822.eml");
  const auto root = parse_message(raw).value();
  EXPECT_EQ(section_range(root, parse_section_spec("3").value()).error().code, Errc::not_found);
  EXPECT_EQ(section_range(root, parse_section_spec("1.1").value()).error().code, Errc::not_found);
  EXPECT_EQ(section_range(root, parse_section_spec("2.3").value()).error().code, Errc::not_found);
  EXPECT_EQ(section_range(root, parse_section_spec("2.1.1").value()).error().code, Errc::not_found);
  EXPECT_EQ(section_range(root, parse_section_spec("1.HEADER").value()).error().code, Errc::invalid_argument);
  EXPECT_EQ(section_range(root, parse_section_spec("2.1.TEXT").value()).error().code, Errc::invalid_argument);
  const auto simple = parse_message(load_sample("simple.eml")).value();
  EXPECT_EQ(section_range(simple, parse_section_spec("2").value()).error().code, Errc::not_found);
}

TEST(FilterHeaderFields, SelectsVerbatimInOrder) {
  const std::string header = "From: a@b\r\nSubject: one\r\n two\r\nTo: c@d\r\nsubject: again\r\n\r\n";
  const std::vector<std::string> names{"SUBJECT", "x-missing"};
  EXPECT_EQ(filter_header_fields(header, names, false), "Subject: one\r\n two\r\nsubject: again\r\n\r\n");
  EXPECT_EQ(filter_header_fields(header, names, true), "From: a@b\r\nTo: c@d\r\n\r\n");
  EXPECT_EQ(filter_header_fields("X: 1", std::vector<std::string>{"X"}, false), "X: 1\r\n\r\n");
  EXPECT_EQ(filter_header_fields(header, std::vector<std::string>{"Bcc"}, false), "\r\n");
}

}  // namespace
}  // namespace bulwark::parse::mime

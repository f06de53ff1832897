#include "parse/mime/header.h"

#include <gtest/gtest.h>

namespace bulwark::parse::mime {
namespace {

TEST(Header, SplitsFieldsAndFindsTheBody) {
  const std::string text = "Subject: hello\r\n world\r\nFrom: a@b\r\n\r\nbody";
  const Header header = parse_header(text);
  ASSERT_EQ(header.fields().size(), 2u);
  EXPECT_EQ(header.fields()[0].name, "Subject");
  EXPECT_EQ(header.fields()[0].raw_value, " hello\r\n world");
  EXPECT_EQ(header.fields()[0].offset, 0u);
  EXPECT_EQ(header.fields()[0].size, 24u);
  EXPECT_EQ(header.size(), text.find("body"));
  EXPECT_TRUE(header.has_empty_line());
  EXPECT_EQ(header.unfolded("subject"), "hello world");
  EXPECT_EQ(header.unfolded("SUBJECT"), "hello world");
  EXPECT_EQ(header.unfolded("To"), std::nullopt);
}

struct MalformedCase {
  const char* name;
  std::string text;
  std::size_t field_count;
  std::size_t malformed_count;
  std::size_t size;
};

class HeaderMalformed : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(HeaderMalformed, IsTolerated) {
  const auto& c = GetParam();
  const Header header = parse_header(c.text);
  EXPECT_EQ(header.fields().size(), c.field_count);
  std::size_t malformed = 0;
  for (const auto& f : header.fields()) malformed += f.is_malformed ? 1 : 0;
  EXPECT_EQ(malformed, c.malformed_count);
  EXPECT_EQ(header.size(), c.size);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, HeaderMalformed,
    ::testing::Values(MalformedCase{"bare_lf", "A: 1\nB: 2\n\nbody", 2, 0, 11},
                      MalformedCase{"no_colon", "A: 1\r\nnot a field\r\n\r\n", 2, 1, 21},
                      MalformedCase{"leading_continuation", " orphan\r\nA: 1\r\n\r\n", 2, 1, 17},
                      MalformedCase{"no_empty_line", "A: 1\r\nB: 2", 2, 0, 10},
                      MalformedCase{"empty_header", "\r\nbody", 0, 0, 2},
                      MalformedCase{"eight_bit", "Subject: caf\xc3\xa9\r\n\r\n", 1, 0, 18},
                      MalformedCase{"space_in_name", "Bad Name: x\r\n\r\n", 1, 1, 15},
                      MalformedCase{"obs_space_before_colon", "Subject : x\r\n\r\n", 1, 0, 15},
                      MalformedCase{"empty", "", 0, 0, 0}),
    [](const auto& name_info) { return std::string(name_info.param.name); });

TEST(Header, ObsoleteSpaceBeforeColonIsFound) {
  const Header header = parse_header("Subject : x\r\n\r\n");
  EXPECT_EQ(header.unfolded("Subject"), "x");
}

TEST(Header, FieldCountLimit) {
  std::string text;
  for (int i = 0; i < 10; ++i) text += "X-N: " + std::to_string(i) + "\r\n continued\r\n";
  text += "\r\nbody";
  const Header header = parse_header(text, HeaderLimits{3, 1024});
  EXPECT_EQ(header.fields().size(), 3u);
  EXPECT_TRUE(header.is_truncated());
  EXPECT_EQ(header.size(), text.size() - 4);
}

TEST(Header, FieldLengthLimit) {
  const std::string text = "Subject: 0123456789\r\n more\r\nTo: x\r\n\r\n";
  const Header header = parse_header(text, HeaderLimits{100, 5});
  ASSERT_EQ(header.fields().size(), 2u);
  EXPECT_EQ(header.fields()[0].raw_value, " 0123");
  EXPECT_EQ(header.fields()[1].name, "To");
  EXPECT_TRUE(header.is_truncated());
}

TEST(Header, FindAll) {
  const Header header = parse_header("Received: a\r\nX: 1\r\nreceived: b\r\n\r\n");
  const auto all = header.find_all("Received");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1]->raw_value, " b");
}

TEST(Header, Unfold) {
  EXPECT_EQ(unfold(" a\r\n\tb\r\n c "), "a\tb c");
  EXPECT_EQ(unfold(""), "");
}

}  // namespace
}  // namespace bulwark::parse::mime

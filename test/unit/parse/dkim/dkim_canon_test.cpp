#include "parse/dkim/dkim_canon.h"

#include <gtest/gtest.h>

namespace bulwark::parse::dkim {
namespace {

// RFC 6376 3.4.5's example, with its exact whitespace.
constexpr std::string_view kExample = "A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n";

TEST(DkimCanon, Rfc6376Example) {
  auto split = split_message(kExample);
  ASSERT_EQ(split.fields.size(), 2u);
  EXPECT_EQ(relaxed_header(split.fields[0].raw), "a:X\r\n");
  EXPECT_EQ(relaxed_header(split.fields[1].raw), "b:Y Z\r\n");
  EXPECT_EQ(relaxed_body(split.body), " C\r\nD E\r\n");
}

TEST(DkimCanon, BodyEdgeCases) {
  struct Case { std::string_view in, out; };
  for (const auto& c : std::initializer_list<Case>{
           {"", ""},
           {"\r\n\r\n", ""},
           {"abc", "abc\r\n"},
           {"a \r\n\r\nb\t\r\n\r\n", "a\r\n\r\nb\r\n"},
           {"bare\nlf\n", "bare\r\nlf\r\n"},
       }) {
    EXPECT_EQ(relaxed_body(c.in), c.out) << c.in;
  }
}

TEST(DkimCanon, HeaderEdgeCases) {
  EXPECT_EQ(relaxed_header("Subject:"), "subject:\r\n");
  EXPECT_EQ(relaxed_header("SUBJECT \t:  a \t b  "), "subject:a b\r\n");
  EXPECT_EQ(relaxed_header("To: a,\r\n  b"), "to:a, b\r\n");
}

TEST(DkimCanon, SelectsBottomUpAndSkipsMissing) {
  auto split = split_message("Received: x\r\nTo: first\r\nFrom: me\r\nTo: second\r\n\r\nbody\r\n");
  std::vector<std::string> names;
  auto fields = select_fields(split, {"to", "from", "to", "to", "subject"}, &names);
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0].raw, "To: second");
  EXPECT_EQ(fields[1].raw, "From: me");
  EXPECT_EQ(fields[2].raw, "To: first");
  EXPECT_EQ(names, (std::vector<std::string>{"to", "from", "to"}));
  EXPECT_EQ(split.body, "body\r\n");
}

TEST(DkimCanon, MessageWithoutBody) {
  auto split = split_message("From: a\r\nSubject: b");
  EXPECT_EQ(split.fields.size(), 2u);
  EXPECT_TRUE(split.body.empty());
}

}  // namespace
}  // namespace bulwark::parse::dkim

#include "parse/smtp/smtp_reply.h"

#include <gtest/gtest.h>

namespace bulwark::parse::smtp {
namespace {

Reply read_all(std::initializer_list<std::string_view> lines) {
  ReplyReader reader(ReplyLimits{});
  std::optional<Reply> done;
  for (auto line : lines) {
    auto r = reader.feed(line);
    EXPECT_TRUE(r.has_value()) << line;
    if (r && *r) done = **r;
  }
  EXPECT_TRUE(done.has_value());
  return done.value_or(Reply{});
}

TEST(SmtpReply, SingleAndMultiLine) {
  auto r = read_all({"250 2.1.0 Ok"});
  EXPECT_EQ(r.code, 250);
  EXPECT_EQ(r.enhanced_code(), "2.1.0");
  EXPECT_EQ(r.summary(), "250 2.1.0 Ok");
  auto ehlo = read_all({"250-mx.example.com", "250-PIPELINING", "250-SIZE 1000", "250-auth login Plain",
                        "250-8BITMIME", "250-STARTTLS", "250-DSN", "250 SMTPUTF8"});
  auto ext = parse_extensions(ehlo);
  EXPECT_TRUE(ext.pipelining && ext.starttls && ext.dsn && ext.smtputf8 && ext.eight_bit_mime && ext.auth_plain);
  EXPECT_EQ(ext.max_size, 1000u);
  EXPECT_TRUE(read_all({"220"}).lines.front().empty());
}

TEST(SmtpReply, RefusesMalformed) {
  struct Case { std::vector<std::string_view> lines; };
  for (const auto& c : std::vector<Case>{{{"25 ok"}}, {{"abc ok"}}, {{"250_ok"}}, {{"199 low"}}, {{"600 high"}},
                                          {{"250-a", "251 b"}}}) {
    ReplyReader reader(ReplyLimits{});
    bool failed = false;
    for (auto line : c.lines) failed = failed || !reader.feed(line).has_value();
    EXPECT_TRUE(failed) << c.lines.front();
  }
}

TEST(SmtpReply, Limits) {
  ReplyReader reader(ReplyLimits{3, 20});
  EXPECT_FALSE(reader.feed("250 " + std::string(30, 'x')).has_value());
  EXPECT_TRUE(reader.feed("250-a").has_value());
  EXPECT_TRUE(reader.feed("250-b").has_value());
  EXPECT_TRUE(reader.feed("250-c").has_value());
  EXPECT_FALSE(reader.feed("250 d").has_value());
  // The reader recovers after an error.
  auto r = reader.feed("421 bye");
  ASSERT_TRUE(r && *r);
  EXPECT_EQ((*r)->code, 421);
}

TEST(SmtpReply, EnhancedCodeOnlyWhenWellFormed) {
  EXPECT_EQ(read_all({"550 5.1.1 no such user"}).enhanced_code(), "5.1.1");
  EXPECT_EQ(read_all({"550 no such user"}).enhanced_code(), "");
  EXPECT_EQ(read_all({"550 5.1"}).enhanced_code(), "");
  EXPECT_EQ(read_all({"550 5.1.1234 x"}).enhanced_code(), "");
}

TEST(SmtpReply, Xtext) {
  EXPECT_EQ(encode_xtext("a+b=c d"), "a+2Bb+3Dc+20d");
  EXPECT_EQ(encode_xtext("rfc822;bob@example.org"), "rfc822;bob@example.org");
}

}  // namespace
}  // namespace bulwark::parse::smtp

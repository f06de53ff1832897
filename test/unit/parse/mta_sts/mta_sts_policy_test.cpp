#include "parse/mta_sts/mta_sts_policy.h"

#include <gtest/gtest.h>

namespace bulwark::parse::mta_sts {
namespace {

TEST(MtaStsTxt, ParsesVersionAndId) {
  auto r = parse_txt_record("v=STSv1; id=20160831085700Z;");
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(r->id, "20160831085700Z");
  auto spaced = parse_txt_record("v=STSv1;id=abc ; ext=1");
  ASSERT_TRUE(spaced);
  EXPECT_EQ(spaced->id, "abc");
}

TEST(MtaStsTxt, RefusesWhatIsNotAnStsv1RecordWithOneId) {
  for (const char* bad : {"", "v=spf1 -all", "id=1; v=STSv1", "v=STSv1", "v=STSv1; id=", "v=STSv1; id=a-b",
                          "v=STSv1; id=123456789012345678901234567890123", "v=STSv1; id=1; id=2", "v=stsv1; id=1",
                          "v=STSv1; garbage"}) {
    EXPECT_FALSE(parse_txt_record(bad)) << bad;
  }
}

TEST(MtaStsPolicy, ParsesTheRfcExample) {
  auto p = parse_policy("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
                        "mx: backupmx.example.com\r\nmax_age: 604800\r\n");
  ASSERT_TRUE(p) << p.error().detail;
  EXPECT_EQ(p->mode, Mode::enforce);
  EXPECT_EQ(p->max_age, 604800u);
  EXPECT_EQ(p->mx, (std::vector<std::string>{"mail.example.com", "*.example.net", "backupmx.example.com"}));
}

TEST(MtaStsPolicy, AcceptsLfUnknownKeysAndModeNoneWithoutMx) {
  auto p = parse_policy("version: STSv1\nmode: testing\nmx: MX.Example.ORG\nfuture: x\nmax_age: 86400");
  ASSERT_TRUE(p) << p.error().detail;
  EXPECT_EQ(p->mode, Mode::testing);
  EXPECT_EQ(p->mx, (std::vector<std::string>{"mx.example.org"}));
  auto none = parse_policy("version: STSv1\nmode: none\nmax_age: 1\n");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->mode, Mode::none);
}

TEST(MtaStsPolicy, ClampsMaxAge) {
  auto p = parse_policy("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 9999999999\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->max_age, kMaxMaxAge);
}

TEST(MtaStsPolicy, RefusesMalformedPolicies) {
  for (const char* bad : {
           "mode: enforce\nmx: a.example\nmax_age: 1\n",                        // no version
           "version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n",        // wrong version
           "version: STSv1\nmx: a.example\nmax_age: 1\n",                       // no mode
           "version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1\n",         // unknown mode
           "version: STSv1\nmode: enforce\nmx: a.example\n",                    // no max_age
           "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n",       // not a number
           "version: STSv1\nmode: enforce\nmax_age: 1\n",                       // enforce without mx
           "version: STSv1\nmode: enforce\nmode: none\nmx: a.example\nmax_age: 1\n",
           "version: STSv1\nmode: enforce\nmx: a..example\nmax_age: 1\n",       // empty label
           "version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 1\n",      // one wildcard, leftmost only
           "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\njunk line\n",
       }) {
    EXPECT_FALSE(parse_policy(bad)) << bad;
  }
  EXPECT_FALSE(parse_policy(std::string(kMaxPolicyBytes + 1, '\n')));
}

TEST(MtaStsPolicy, LimitsMxPatterns) {
  std::string text = "version: STSv1\nmode: enforce\nmax_age: 1\n";
  for (std::size_t i = 0; i <= kMaxMxPatterns; ++i) text += "mx: m" + std::to_string(i) + ".example\n";
  auto p = parse_policy(text);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, Errc::too_big);
}

struct MatchCase {
  const char* pattern;
  const char* host;
  bool matches;
};

TEST(MtaStsMx, MatchesExactAndOneLabelWildcards) {
  const MatchCase cases[] = {
      {"mail.example.com", "mail.example.com", true},
      {"mail.example.com", "MAIL.Example.COM.", true},
      {"mail.example.com", "mail2.example.com", false},
      {"mail.example.com", "x.mail.example.com", false},
      {"*.example.net", "mx1.example.net", true},
      {"*.example.net", "MX1.EXAMPLE.NET.", true},
      {"*.example.net", "example.net", false},
      {"*.example.net", "a.b.example.net", false},
      {"*.example.net", ".example.net", false},
      {"*.example.net", "mx1.example.org", false},
      {"*.example.net", "mx1example.net", false},
  };
  for (const auto& c : cases) EXPECT_EQ(mx_matches(c.pattern, c.host), c.matches) << c.pattern << " " << c.host;
  Policy p;
  p.mx = {"a.example", "*.b.example"};
  EXPECT_TRUE(policy_allows_mx(p, "x.b.example"));
  EXPECT_FALSE(policy_allows_mx(p, "c.example"));
}

}  // namespace
}  // namespace bulwark::parse::mta_sts

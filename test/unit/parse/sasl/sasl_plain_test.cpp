// SASL PLAIN (parse/sasl/sasl_plain.h), RFC 4616 2.
#include "parse/sasl/sasl_plain.h"

#include <gtest/gtest.h>

#include <string>

namespace bulwark::parse::sasl {
namespace {

using namespace std::string_literals;

struct PlainRow {
  std::string message;
  std::string authzid;
  std::string authcid;
  std::string password;
};

class PlainAccepts : public ::testing::TestWithParam<PlainRow> {};

TEST_P(PlainAccepts, Parses) {
  const auto& row = GetParam();
  auto credentials = parse_plain(row.message);
  ASSERT_TRUE(credentials) << credentials.error().detail;
  EXPECT_EQ(credentials->authzid, row.authzid);
  EXPECT_EQ(credentials->authcid, row.authcid);
  EXPECT_EQ(credentials->password, row.password);
  EXPECT_EQ(format_plain(*credentials), row.message);
}

const std::string k255(255, 'x');

INSTANTIATE_TEST_SUITE_P(Rfc4616, PlainAccepts, ::testing::Values(
    PlainRow{"\0tim\0tanstaaftanstaaf"s, "", "tim", "tanstaaftanstaaf"},
    PlainRow{"Ursel\0Kurt\0xipj3plmq"s, "Ursel", "Kurt", "xipj3plmq"},
    PlainRow{"\0user@example.org\0p a s s"s, "", "user@example.org", "p a s s"},
    PlainRow{"\0j\xC3\xB6rg\0p\xC3\xA4ss"s, "", "j\xC3\xB6rg", "p\xC3\xA4ss"},
    PlainRow{"\0u\0\x01\x7f"s, "", "u", "\x01\x7f"},
    PlainRow{k255 + "\0"s + k255 + "\0"s + k255, k255, k255, k255}));

struct RejectRow {
  std::string message;
  Errc code;
};

class PlainRejects : public ::testing::TestWithParam<RejectRow> {};

TEST_P(PlainRejects, Fails) {
  auto credentials = parse_plain(GetParam().message);
  ASSERT_FALSE(credentials);
  EXPECT_EQ(credentials.error().code, GetParam().code) << credentials.error().detail;
  // The detail never carries the password.
  EXPECT_EQ(credentials.error().detail.find("secret"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Rfc4616, PlainRejects, ::testing::Values(
    RejectRow{"", Errc::invalid_syntax},
    RejectRow{"usersecret", Errc::invalid_syntax},
    RejectRow{"\0usersecret"s, Errc::invalid_syntax},
    RejectRow{"\0\0secret"s, Errc::invalid_syntax},          // empty authcid
    RejectRow{"\0user\0"s, Errc::invalid_syntax},            // empty password
    RejectRow{"\0\0"s, Errc::invalid_syntax},
    RejectRow{"\0user\0sec\0ret"s, Errc::invalid_syntax},    // NUL inside the password
    RejectRow{"a\0user\0secret\0"s, Errc::invalid_syntax},
    RejectRow{"\0us\xFFr\0secret"s, Errc::invalid_syntax},    // not UTF-8
    RejectRow{"\0user\0secr\xC3"s, Errc::invalid_syntax},
    RejectRow{"\xC0\x80\0user\0secret"s, Errc::invalid_syntax},
    RejectRow{"\0user\0\xED\xA0\x80"s, Errc::invalid_syntax},
    RejectRow{std::string(256, 'z') + "\0user\0secret"s, Errc::too_big},
    RejectRow{"\0"s + std::string(256, 'u') + "\0secret"s, Errc::too_big},
    RejectRow{"\0user\0"s + std::string(256, 'p'), Errc::too_big}));

}  // namespace
}  // namespace bulwark::parse::sasl

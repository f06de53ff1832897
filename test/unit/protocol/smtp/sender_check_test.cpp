#include "protocol/smtp/sender_check.h"

#include <gtest/gtest.h>

namespace bulwark::protocol::smtp {
namespace {

const std::vector<std::string> kAllowed{"alice@example.org", "sales@example.org"};

TEST(SenderCheck, CaseInsensitive) {
  EXPECT_TRUE(is_allowed_sender("alice@example.org", kAllowed));
  EXPECT_TRUE(is_allowed_sender("ALICE@Example.ORG", kAllowed));
  EXPECT_TRUE(is_allowed_sender("Sales@example.org", kAllowed));
  EXPECT_FALSE(is_allowed_sender("bob@example.org", kAllowed));
  EXPECT_FALSE(is_allowed_sender("alice@example.org.evil", kAllowed));
  EXPECT_FALSE(is_allowed_sender("", kAllowed));
}

TEST(SenderCheck, IdnDomainsCompareAsALabels) {
  std::vector<std::string> allowed{"user@xn--bcher-kva.example"};
  EXPECT_TRUE(is_allowed_sender("user@bücher.example", allowed));
}

struct FromCase {
  const char* message;
  std::vector<std::string> addresses;  // empty: an error is expected
};

class HeaderFrom : public ::testing::TestWithParam<FromCase> {};

TEST_P(HeaderFrom, Extracts) {
  const auto& c = GetParam();
  auto got = header_from_addresses(c.message);
  if (c.addresses.empty()) {
    EXPECT_FALSE(got) << c.message;
  } else {
    ASSERT_TRUE(got) << c.message << ": " << got.error().detail;
    EXPECT_EQ(*got, c.addresses);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, HeaderFrom,
    ::testing::Values(
        FromCase{"From: alice@example.org\r\n\r\nbody", {"alice@example.org"}},
        FromCase{"Subject: x\r\nFROM: Alice <alice@example.org>\r\n\r\n", {"alice@example.org"}},
        FromCase{"From: \"Doe, Alice\" <alice@example.org>\r\n\r\n", {"alice@example.org"}},
        FromCase{"From: (comment <evil@x.org>) alice@example.org\r\n\r\n", {"alice@example.org"}},
        FromCase{"From: Alice\r\n <alice@example.org>\r\n\r\n", {"alice@example.org"}},
        FromCase{"From: a@example.org, Bob <b@example.org>\r\n\r\n", {"a@example.org", "b@example.org"}},
        FromCase{"From: =?utf-8?q?Al=C3=AFce?= <alice@example.org>\r\n\r\n", {"alice@example.org"}},
        FromCase{"Subject: no from\r\n\r\nFrom: alice@example.org\r\n", {}},
        FromCase{"From: a@example.org\r\nFrom: b@example.org\r\n\r\n", {}},
        FromCase{"From: group: a@example.org;\r\n\r\n", {}},
        FromCase{"From: Alice <alice@example.org\r\n\r\n", {}},
        FromCase{"From: nobody\r\n\r\n", {}},
        FromCase{"", {}}));

TEST(HeaderFrom, ScanIsBounded) {
  std::string message(kMaxHeaderScanBytes + 10, 'x');
  message = "X-Long: " + message + "\r\nFrom: alice@example.org\r\n\r\n";
  EXPECT_FALSE(header_from_addresses(message));
}

}  // namespace
}  // namespace bulwark::protocol::smtp

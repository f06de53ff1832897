#include "parse/vcard/vcard.h"

#include <gtest/gtest.h>

namespace bulwark::parse::vcard {
namespace {

TEST(VCard, ParsesVersion3WithFoldingAndGroups) {
  auto card = parse_vcard("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u1\r\nFN:Alice\r\n  Example\r\n"
                          "item1.EMAIL;TYPE=\"a:b\":alice@example.org\r\nEND:VCARD\r\n", {});
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(card->version, "3.0");
  EXPECT_EQ(card->uid, "u1");
  EXPECT_EQ(card->formatted_name, "Alice Example");
  EXPECT_TRUE(card->matches("email", "ALICE@"));
  EXPECT_FALSE(card->matches("email", "bob"));
  ASSERT_EQ(card->properties.size(), 3u);
  EXPECT_EQ(card->properties[2].group, "item1");
  EXPECT_EQ(card->properties[2].value, "alice@example.org");
}

TEST(VCard, ParsesVersion4) {
  auto card = parse_vcard("BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:x\nFN:Bob\nEND:VCARD\n", {});
  ASSERT_TRUE(card);
  EXPECT_EQ(card->version, "4.0");
}

struct Bad {
  const char* text;
  const char* reason;
};

class VCardBad : public ::testing::TestWithParam<Bad> {};

TEST_P(VCardBad, Refused) {
  auto card = parse_vcard(GetParam().text, {});
  ASSERT_FALSE(card);
  EXPECT_NE(card.error().detail.find(GetParam().reason), std::string::npos) << card.error().detail;
}

INSTANTIATE_TEST_SUITE_P(
    Table, VCardBad,
    ::testing::Values(Bad{"BEGIN:VCARD\nVERSION:2.1\nUID:1\nFN:x\nEND:VCARD\n", "VERSION"},
                      Bad{"BEGIN:VCARD\nVERSION:3.0\nFN:x\nEND:VCARD\n", "UID"},
                      Bad{"BEGIN:VCARD\nVERSION:3.0\nUID:1\nEND:VCARD\n", "FN"},
                      Bad{"BEGIN:VCALENDAR\nEND:VCALENDAR\n", "BEGIN:VCARD"},
                      Bad{"BEGIN:VCARD\nVERSION:3.0\nUID:1\nFN:x\n", "END:VCARD"},
                      Bad{"BEGIN:VCARD\nVERSION:3.0\nUID:1\nFN:x\nBEGIN:VCARD\nEND:VCARD\n", "one vCard"},
                      Bad{"BEGIN:VCARD\nVERSION:3.0\nUID:1\nFN x\nEND:VCARD\n", "':'"},
                      Bad{"BEGIN:VCARD\nVERSION:3.0\nUID:1\nF N:x\nEND:VCARD\n", "name"}));

TEST(VCard, Limits) {
  VCardLimits limits;
  limits.max_properties = 3;
  std::string text = "BEGIN:VCARD\nVERSION:3.0\nUID:1\nFN:x\n";
  for (int i = 0; i < 5; ++i) text += "NOTE:n\n";
  text += "END:VCARD\n";
  EXPECT_FALSE(parse_vcard(text, limits));
  limits.max_bytes = 10;
  EXPECT_FALSE(parse_vcard("BEGIN:VCARD\nVERSION:3.0\nUID:1\nFN:x\nEND:VCARD\n", limits));
}

}  // namespace
}  // namespace bulwark::parse::vcard

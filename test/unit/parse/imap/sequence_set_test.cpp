// SequenceSet: grammar (RFC 9051 9), "*" and "$", normalization, contains() and bounded expansion.
#include "parse/imap/sequence_set.h"

#include <gtest/gtest.h>

namespace bulwark::parse::imap {
namespace {

struct SetRow {
  const char* text;
  bool is_valid;
  const char* normalized_at_10;  // normalized(10).to_string(), when valid
};

class SequenceSetTable : public ::testing::TestWithParam<SetRow> {};

TEST_P(SequenceSetTable, ParseAndNormalize) {
  const SetRow& row = GetParam();
  auto set = SequenceSet::parse(row.text);
  ASSERT_EQ(set.has_value(), row.is_valid) << row.text;
  if (!set) return;
  EXPECT_EQ(set->to_string(), row.text);
  EXPECT_EQ(set->normalized(10).to_string(), row.normalized_at_10) << row.text;
}

INSTANTIATE_TEST_SUITE_P(Rows, SequenceSetTable,
                         ::testing::Values(SetRow{"1", true, "1"}, SetRow{"*", true, "10"},
                                           SetRow{"1:*", true, "1:10"}, SetRow{"*:4", true, "4:10"},
                                           SetRow{"5:3", true, "3:5"}, SetRow{"2,4:7,9,12:*", true, "2,4:7,9:12"},
                                           SetRow{"1:3,2:5,7,6", true, "1:7"}, SetRow{"$", true, "$"},
                                           SetRow{"4294967295", true, "4294967295"},
                                           SetRow{"15:*", true, "10:15"}, SetRow{"", false, ""},
                                           SetRow{"0", false, ""}, SetRow{"1:", false, ""},
                                           SetRow{":1", false, ""}, SetRow{"*:*x", false, ""},
                                           SetRow{"1,", false, ""}, SetRow{",1", false, ""},
                                           SetRow{"1,,2", false, ""}, SetRow{"1:2:3", false, ""},
                                           SetRow{"01", false, ""}, SetRow{"1:0", false, ""},
                                           SetRow{"4294967296", false, ""}, SetRow{"$,1", false, ""},
                                           SetRow{"1,$", false, ""}, SetRow{"$$", false, ""},
                                           SetRow{"-1", false, ""}, SetRow{"1 2", false, ""},
                                           SetRow{"99999999999999999999999", false, ""}));

TEST(SequenceSet, ContainsAndCount) {
  auto set = *SequenceSet::parse("2,4:7,9,12:*");
  EXPECT_FALSE(set.contains(1, 20));
  EXPECT_TRUE(set.contains(2, 20));
  EXPECT_TRUE(set.contains(5, 20));
  EXPECT_FALSE(set.contains(8, 20));
  EXPECT_TRUE(set.contains(20, 20));
  EXPECT_FALSE(set.contains(21, 20));
  EXPECT_FALSE(set.contains(0, 20));
  EXPECT_EQ(set.count(20), 1u + 4u + 1u + 9u);
  EXPECT_TRUE(SequenceSet::parse("5:*")->contains(3, 3));  // "5:*" with 3 in use is 3:5
}

TEST(SequenceSet, EmptyMailboxDropsStar) {
  auto set = *SequenceSet::parse("1:*,3");
  EXPECT_EQ(set.normalized(0).to_string(), "3");
  EXPECT_FALSE(set.contains(1, 0));
}

TEST(SequenceSet, ExpandIsBounded) {
  auto set = *SequenceSet::parse("1:4294967295");
  EXPECT_EQ(set.count(0), 4294967295u);
  auto too_many = set.expand(4294967295u, 1000);
  ASSERT_FALSE(too_many.has_value());
  EXPECT_EQ(too_many.error().code, Errc::too_big);
  auto small = SequenceSet::parse("3,1:2,*")->expand(5, 10);
  ASSERT_TRUE(small.has_value());
  EXPECT_EQ(*small, (std::vector<std::uint32_t>{1, 2, 3, 5}));
  EXPECT_FALSE(SequenceSet::saved_result().expand(5, 10).has_value());
}

TEST(SequenceSet, MergesAdjacentAtTheTop) {
  auto set = *SequenceSet::parse("4294967295,1:4294967294");
  EXPECT_EQ(set.normalized(1).to_string(), "1:4294967295");
}

TEST(SequenceSet, TooManyRanges) {
  std::string text = "1";
  for (std::size_t i = 0; i < SequenceSet::kMaxRanges; ++i) text += ",1";
  auto set = SequenceSet::parse(text);
  ASSERT_FALSE(set.has_value());
  EXPECT_EQ(set.error().code, Errc::too_big);
}

}  // namespace
}  // namespace bulwark::parse::imap

#include "base/ascii_search.h"

#include <gtest/gtest.h>

#include <string>

namespace bulwark {
namespace {

TEST(AsciiSearch, FindsTheNeedleInAnyCase) {
  EXPECT_TRUE(contains_ascii_nocase("Content-Type: TEXT/Calendar; method=REQUEST", "text/calendar"));
  EXPECT_TRUE(contains_ascii_nocase("text/calendar", "text/calendar"));
  EXPECT_TRUE(contains_ascii_nocase("xxtExT/cAlEnDaR", "text/calendar"));
}

TEST(AsciiSearch, RejectsNearMissesAndShortHaystacks) {
  EXPECT_FALSE(contains_ascii_nocase("text/calenda", "text/calendar"));
  EXPECT_FALSE(contains_ascii_nocase("text/plain; text /calendar", "text/calendar"));
  EXPECT_FALSE(contains_ascii_nocase("", "a"));
  EXPECT_TRUE(contains_ascii_nocase("", ""));
}

TEST(AsciiSearch, OverlappingPrefixesAndBothCasesOfTheFirstLetter) {
  EXPECT_TRUE(contains_ascii_nocase("TTTtText", "ttext"));
  EXPECT_TRUE(contains_ascii_nocase("aaaaaaaaaaab", "aab"));
  EXPECT_FALSE(contains_ascii_nocase("aaaaaaaaaaaa", "aab"));
  // Only one case of the first letter present far apart from the other.
  std::string big(100000, 'x');
  big += "TEXT/CALENDAR";
  EXPECT_TRUE(contains_ascii_nocase(big, "text/calendar"));
  big[100000] = 't';
  EXPECT_TRUE(contains_ascii_nocase(big, "text/calendar"));
}

TEST(AsciiSearch, NonLettersAndEightBitOctetsCompareExactly) {
  EXPECT_TRUE(contains_ascii_nocase("a\xC3\xA9z", "\xC3\xA9z"));
  EXPECT_FALSE(contains_ascii_nocase("a\xC3\x89z", "\xC3\xA9z"));
  EXPECT_TRUE(contains_ascii_nocase("1/2", "1/2"));
}

}  // namespace
}  // namespace bulwark

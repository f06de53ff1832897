// LIST patterns (RFC 9051 6.3.9): "*" crosses the hierarchy delimiter, "%" does not; INBOX is case-insensitive.
#include "protocol/imap/list_pattern.h"

#include <gtest/gtest.h>

namespace bulwark::protocol::imap {
namespace {

TEST(ListPatternTest, Table) {
  struct Case {
    std::string pattern;
    std::string name;
    bool match;
  };
  for (const auto& c : std::vector<Case>{
           {"*", "INBOX", true},        {"*", "a/b/c", true},        {"%", "a", true},
           {"%", "a/b", false},         {"a/%", "a/b", true},        {"a/%", "a/b/c", false},
           {"a/*", "a/b/c", true},      {"a*c", "abc", true},        {"a*c", "a/b/c", true},
           {"a%c", "a/c", false},       {"inbox", "INBOX", true},    {"Inbox/%", "INBOX/x", true},
           {"Sent", "sent", false},     {"", "", true},              {"%/%", "a/b", true},
           {"*%*%*", "abc", true},      {"x", "xy", false}}) {
    EXPECT_EQ(matches_pattern(c.pattern, c.name), c.match) << c.pattern << " vs " << c.name;
  }
  EXPECT_EQ(join_reference("Projects/", "*"), "Projects/*");
  EXPECT_EQ(join_reference("Projects/", "/abs"), "/abs");
  EXPECT_TRUE(is_ancestor("a", "a/b"));
  EXPECT_FALSE(is_ancestor("a", "ab/c"));
}

TEST(ListPatternTest, LongPatternsStayCheap) {
  std::string pattern(2000, '*');
  std::string name(2000, 'a');
  EXPECT_TRUE(matches_pattern(pattern, name));
  EXPECT_FALSE(matches_pattern(pattern + "b", name));
}

}  // namespace
}  // namespace bulwark::protocol::imap

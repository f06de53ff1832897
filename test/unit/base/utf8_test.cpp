#include "base/utf8.h"

#include <gtest/gtest.h>

namespace bulwark {
namespace {

TEST(Utf8, AcceptsValid) {
  for (const char* s : {"", "abc", "B\xC3\xBC" "cher", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xED\x9F\xBF"}) {
    EXPECT_TRUE(is_valid_utf8(s)) << s;
  }
}

TEST(Utf8, RejectsInvalid) {
  for (const char* s : {"\xC3", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF", "a\x80",
                        "\xF0\x9F\x98"}) {
    EXPECT_FALSE(is_valid_utf8(s)) << s;
  }
}

}  // namespace
}  // namespace bulwark

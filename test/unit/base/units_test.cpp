#include "base/units.h"

#include <gtest/gtest.h>

namespace bulwark {
namespace {

struct SizeRow {
  const char* text;
  bool ok;
  std::uint64_t bytes;
};

TEST(ParseSize, Table) {
  const SizeRow rows[] = {
      {"0", true, 0},          {"4096", true, 4096},         {"25M", true, 25ULL << 20},
      {"1G", true, 1ULL << 30}, {"2k", true, 2048},           {"3KiB", true, 3072},
      {"1T", true, 1ULL << 40}, {"", false, 0},               {"M", false, 0},
      {"-1", false, 0},        {"12X", false, 0},            {"99999999999999999999", false, 0},
      {"17179869184G", false, 0}, {" 1", false, 0},
  };
  for (const auto& row : rows) {
    auto parsed = parse_size(row.text);
    EXPECT_EQ(parsed.has_value(), row.ok) << row.text;
    if (row.ok && parsed) {
      EXPECT_EQ(*parsed, row.bytes) << row.text;
    }
  }
}

TEST(ParseDuration, Table) {
  EXPECT_EQ(parse_duration("30").value(), std::chrono::seconds(30));
  EXPECT_EQ(parse_duration("30s").value(), std::chrono::seconds(30));
  EXPECT_EQ(parse_duration("5m").value(), std::chrono::seconds(300));
  EXPECT_EQ(parse_duration("2h").value(), std::chrono::seconds(7200));
  EXPECT_EQ(parse_duration("5d").value(), std::chrono::seconds(432000));
  EXPECT_FALSE(parse_duration("5y"));
  EXPECT_FALSE(parse_duration("m"));
  EXPECT_FALSE(parse_duration("99999999999999999999d"));
}

}  // namespace
}  // namespace bulwark

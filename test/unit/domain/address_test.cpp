#include "domain/mail/address.h"

#include <gtest/gtest.h>

namespace bulwark::domain::mail {
namespace {

TEST(NormalizeDomain, Table) {
  struct Row {
    const char* in;
    const char* out;  // nullptr: error
  } rows[] = {
      {"example.org", "example.org"},
      {"Example.ORG", "example.org"},
      {"example.org.", "example.org"},
      {"b\xC3\xBC" "cher.example", "xn--bcher-kva.example"},
      {"xn--bcher-kva.example", "xn--bcher-kva.example"},
      {"localhost", "localhost"},
      {"sub.mail.example.co.uk", "sub.mail.example.co.uk"},
      {"", nullptr},
      {"org", nullptr},
      {"-bad.example", nullptr},
      {"bad-.example", nullptr},
      {"a..b", nullptr},
      {"under_score.example", nullptr},
      {"spa ce.example", nullptr},
      {"\xFF.example", nullptr},
      {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example", nullptr},  // 64-octet label
  };
  for (const auto& row : rows) {
    auto result = normalize_domain(row.in);
    if (row.out) {
      ASSERT_TRUE(result) << row.in << ": " << result.error().detail;
      EXPECT_EQ(*result, row.out);
    } else {
      EXPECT_FALSE(result) << row.in;
    }
  }
}

TEST(ParseAddress, Table) {
  struct Row {
    const char* in;
    const char* local;  // nullptr: error
    const char* domain;
  } rows[] = {
      {"alice@example.org", "alice", "example.org"},
      {"Alice@EXAMPLE.org", "Alice", "example.org"},
      {"first.last+tag@example.org", "first.last+tag", "example.org"},
      {"j\xC3\xB6rg@b\xC3\xBC" "cher.example", "j\xC3\xB6rg", "xn--bcher-kva.example"},
      {"noat.example.org", nullptr, nullptr},
      {"@example.org", nullptr, nullptr},
      {".a@example.org", nullptr, nullptr},
      {"a..b@example.org", nullptr, nullptr},
      {"a b@example.org", nullptr, nullptr},
      {"a\"b@example.org", nullptr, nullptr},
      {"alice@", nullptr, nullptr},
      {"alice@bad_domain.org", nullptr, nullptr},
      {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.org", nullptr, nullptr},
  };
  for (const auto& row : rows) {
    auto result = parse_address(row.in);
    if (row.local) {
      ASSERT_TRUE(result) << row.in << ": " << result.error().detail;
      EXPECT_EQ(result->local_part, row.local);
      EXPECT_EQ(result->domain, row.domain);
    } else {
      EXPECT_FALSE(result) << row.in;
    }
  }
}

}  // namespace
}  // namespace bulwark::domain::mail

#include "domain/mail/mailbox_name.h"

#include <gtest/gtest.h>

namespace bulwark::domain::mail {
namespace {

TEST(CanonicalMailboxName, Table) {
  struct Row {
    const char* in;
    const char* out;
  } rows[] = {
      {"INBOX", "INBOX"},          {"inbox", "INBOX"},       {"InBoX/Sub", "INBOX/Sub"},
      {"Archive/2026", "Archive/2026"}, {"Entw\xC3\xBC" "rfe", "Entw\xC3\xBC" "rfe"},
      {"", nullptr},               {"a//b", nullptr},        {"/a", nullptr},
      {"a/", nullptr},             {"a\tb", nullptr},        {"a*", nullptr},
      {"50%", nullptr},            {"\xC3", nullptr},
  };
  for (const auto& row : rows) {
    auto result = canonical_mailbox_name(row.in);
    if (row.out) {
      ASSERT_TRUE(result) << row.in;
      EXPECT_EQ(*result, row.out);
    } else {
      EXPECT_FALSE(result) << row.in;
    }
  }
  EXPECT_FALSE(canonical_mailbox_name(std::string(600, 'a')));
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "a/";
  deep += "a";
  EXPECT_FALSE(canonical_mailbox_name(deep));
}

}  // namespace
}  // namespace bulwark::domain::mail

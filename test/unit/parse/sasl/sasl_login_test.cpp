// SASL LOGIN helpers (parse/sasl/sasl_login.h).
#include "parse/sasl/sasl_login.h"

#include <gtest/gtest.h>

#include <string>

#include "parse/sasl/base64.h"

namespace bulwark::parse::sasl {
namespace {

TEST(Login, Challenges) {
  EXPECT_EQ(*base64_decode(kLoginUsernameChallenge), "Username:");
  EXPECT_EQ(*base64_decode(kLoginPasswordChallenge), "Password:");
}

TEST(Login, Cancel) {
  EXPECT_TRUE(is_cancel("*"));
  EXPECT_FALSE(is_cancel("**"));
  EXPECT_FALSE(is_cancel(""));
  EXPECT_FALSE(is_cancel("Kg=="));
}

struct LoginRow {
  std::string line;
  bool ok;
  std::string value;
};

class LoginField : public ::testing::TestWithParam<LoginRow> {};

TEST_P(LoginField, Parses) {
  const auto& row = GetParam();
  auto user = parse_login_username(row.line);
  auto password = parse_login_password(row.line);
  ASSERT_EQ(user.has_value(), row.ok) << row.line;
  ASSERT_EQ(password.has_value(), row.ok) << row.line;
  if (row.ok) {
    EXPECT_EQ(*user, row.value);
    EXPECT_EQ(*password, row.value);
  }
}

INSTANTIATE_TEST_SUITE_P(Login, LoginField, ::testing::Values(
    LoginRow{"dGlt", true, "tim"},
    LoginRow{"dXNlckBleGFtcGxlLm9yZw==", true, "user@example.org"},
    LoginRow{base64_encode("j\xC3\xB6rg"), true, "j\xC3\xB6rg"},
    LoginRow{base64_encode(std::string(255, 'a')), true, std::string(255, 'a')},
    LoginRow{base64_encode(std::string(256, 'a')), false, ""},
    LoginRow{"", false, ""},
    LoginRow{"=", false, ""},
    LoginRow{"*", false, ""},
    LoginRow{"dGlt\r\n", false, ""},
    LoginRow{"dGl", false, ""},
    LoginRow{"AA==", false, ""},                       // a NUL
    LoginRow{base64_encode(std::string_view("a\0b", 3)), false, ""},
    LoginRow{base64_encode("\xFF\xFE"), false, ""}));

}  // namespace
}  // namespace bulwark::parse::sasl

// Table-driven tests for RFC 5321 4.1.2 paths and mailboxes (parse/smtp/smtp_address.h).
#include "parse/smtp/smtp_address.h"

#include <gtest/gtest.h>

#include <string>

namespace bulwark::parse::smtp {
namespace {

struct MailboxRow {
  std::string text;
  bool utf8;
  std::string local_part;
  std::string domain;
};

class ValidMailbox : public ::testing::TestWithParam<MailboxRow> {};

TEST_P(ValidMailbox, Parses) {
  const auto& row = GetParam();
  auto mailbox = parse_mailbox(row.text, AddressOptions{row.utf8});
  ASSERT_TRUE(mailbox) << row.text << ": " << mailbox.error().detail;
  EXPECT_EQ(mailbox->local_part, row.local_part);
  EXPECT_EQ(mailbox->domain, row.domain);
  EXPECT_EQ(mailbox->to_string(), row.text);
}

const std::string k64(64, 'a');
const std::string k63(63, 'b');

INSTANTIATE_TEST_SUITE_P(Rfc5321, ValidMailbox, ::testing::Values(
    MailboxRow{"user@example.org", false, "user", "example.org"},
    MailboxRow{"a@b", false, "a", "b"},
    MailboxRow{"first.last@sub.example.co.uk", false, "first.last", "sub.example.co.uk"},
    MailboxRow{"user+tag@example.org", false, "user+tag", "example.org"},
    MailboxRow{"!#$%&'*+-/=?^_`{|}~@example.org", false, "!#$%&'*+-/=?^_`{|}~", "example.org"},
    MailboxRow{"\"quoted string\"@example.org", false, "\"quoted string\"", "example.org"},
    MailboxRow{"\"a\\\"b\"@example.org", false, "\"a\\\"b\"", "example.org"},
    MailboxRow{"\"a@b\"@example.org", false, "\"a@b\"", "example.org"},
    MailboxRow{"\"\"@example.org", false, "\"\"", "example.org"},
    MailboxRow{"\"a>b\"@example.org", false, "\"a>b\"", "example.org"},
    MailboxRow{"user@[192.0.2.1]", false, "user", "[192.0.2.1]"},
    MailboxRow{"user@[0.0.0.0]", false, "user", "[0.0.0.0]"},
    MailboxRow{"user@[255.255.255.255]", false, "user", "[255.255.255.255]"},
    MailboxRow{"user@[IPv6:2001:db8::1]", false, "user", "[IPv6:2001:db8::1]"},
    MailboxRow{"user@[ipv6:2001:DB8:0:0:0:0:0:1]", false, "user", "[ipv6:2001:DB8:0:0:0:0:0:1]"},
    MailboxRow{"user@[IPv6:::1]", false, "user", "[IPv6:::1]"},
    MailboxRow{"user@[IPv6:::]", false, "user", "[IPv6:::]"},
    MailboxRow{"user@[IPv6:fe80::]", false, "user", "[IPv6:fe80::]"},
    MailboxRow{"user@[IPv6:::ffff:192.0.2.1]", false, "user", "[IPv6:::ffff:192.0.2.1]"},
    MailboxRow{"user@[IPv6:1:2:3:4:5:6:192.0.2.1]", false, "user", "[IPv6:1:2:3:4:5:6:192.0.2.1]"},
    MailboxRow{"user@xn--bcher-kva.example", false, "user", "xn--bcher-kva.example"},
    MailboxRow{"user@a-b.c-d", false, "user", "a-b.c-d"},
    MailboxRow{"user@123.example", false, "user", "123.example"},
    MailboxRow{k64 + "@example.org", false, k64, "example.org"},
    MailboxRow{"u@" + k63 + ".org", false, "u", k63 + ".org"},
    MailboxRow{"j\xC3\xB6rg@example.org", true, "j\xC3\xB6rg", "example.org"},
    MailboxRow{"user@b\xC3\xBC" "cher.example", true, "user", "b\xC3\xBC" "cher.example"},
    MailboxRow{"\"\xE2\x82\xAC uro\"@example.org", true, "\"\xE2\x82\xAC uro\"", "example.org"},
    MailboxRow{"\xF0\x9F\x98\x80@\xE4\xBE\x8B.\xE4\xB8\xAD\xE5\x9B\xBD", true, "\xF0\x9F\x98\x80",
               "\xE4\xBE\x8B.\xE4\xB8\xAD\xE5\x9B\xBD"}));

struct InvalidRow {
  std::string text;
  bool utf8;
  Errc code;
};

class InvalidMailbox : public ::testing::TestWithParam<InvalidRow> {};

TEST_P(InvalidMailbox, Fails) {
  const auto& row = GetParam();
  auto mailbox = parse_mailbox(row.text, AddressOptions{row.utf8});
  ASSERT_FALSE(mailbox) << row.text;
  EXPECT_EQ(mailbox.error().code, row.code) << row.text << ": " << mailbox.error().detail;
  EXPECT_FALSE(mailbox.error().detail.empty());
}

INSTANTIATE_TEST_SUITE_P(Rfc5321, InvalidMailbox, ::testing::Values(
    InvalidRow{"", false, Errc::invalid_syntax},
    InvalidRow{"user", false, Errc::invalid_syntax},
    InvalidRow{"user@", false, Errc::invalid_syntax},
    InvalidRow{"@example.org", false, Errc::invalid_syntax},
    InvalidRow{".user@example.org", false, Errc::invalid_syntax},
    InvalidRow{"user.@example.org", false, Errc::invalid_syntax},
    InvalidRow{"us..er@example.org", false, Errc::invalid_syntax},
    InvalidRow{"us er@example.org", false, Errc::invalid_syntax},
    InvalidRow{"us(er@example.org", false, Errc::invalid_syntax},
    InvalidRow{"us\"er@example.org", false, Errc::invalid_syntax},
    InvalidRow{"a@b@example.org", false, Errc::invalid_syntax},
    InvalidRow{"\"unterminated@example.org", false, Errc::invalid_syntax},
    InvalidRow{"\"a\"b@example.org", false, Errc::invalid_syntax},
    InvalidRow{"\"a\\\x01\"@example.org", false, Errc::invalid_syntax},
    InvalidRow{"\"a\tb\"@example.org", false, Errc::invalid_syntax},
    InvalidRow{"user@-example.org", false, Errc::invalid_syntax},
    InvalidRow{"user@example-.org", false, Errc::invalid_syntax},
    InvalidRow{"user@example..org", false, Errc::invalid_syntax},
    InvalidRow{"user@.example.org", false, Errc::invalid_syntax},
    InvalidRow{"user@example.org.", false, Errc::invalid_syntax},
    InvalidRow{"user@exa_mple.org", false, Errc::invalid_syntax},
    InvalidRow{"user@" + std::string(64, 'a') + ".org", false, Errc::invalid_syntax},
    InvalidRow{"user@[192.0.2.256]", false, Errc::invalid_syntax},
    InvalidRow{"user@[192.0.2]", false, Errc::invalid_syntax},
    InvalidRow{"user@[192.0.2.1.5]", false, Errc::invalid_syntax},
    InvalidRow{"user@[1234.0.2.1]", false, Errc::invalid_syntax},
    InvalidRow{"user@[192.0.2.1", false, Errc::invalid_syntax},
    InvalidRow{"user@[]", false, Errc::invalid_syntax},
    InvalidRow{"user@[IPv6:1:2:3:4:5:6:7]", false, Errc::invalid_syntax},
    InvalidRow{"user@[IPv6:1:2:3:4:5:6:7:8:9]", false, Errc::invalid_syntax},
    InvalidRow{"user@[IPv6:1::2::3]", false, Errc::invalid_syntax},
    InvalidRow{"user@[IPv6:12345::1]", false, Errc::invalid_syntax},
    InvalidRow{"user@[IPv6:1:]", false, Errc::invalid_syntax},
    InvalidRow{"user@[IPv6::1]", false, Errc::invalid_syntax},
    InvalidRow{"user@[IPv6:g::1]", false, Errc::invalid_syntax},
    InvalidRow{"user@[IPv6:1:2:3:4:5:6:7:192.0.2.1]", false, Errc::invalid_syntax},
    InvalidRow{"user@[IPv6:192.0.2.1]", false, Errc::invalid_syntax},
    InvalidRow{"user@[x-tag:content]", false, Errc::invalid_syntax},
    InvalidRow{"user@[192.0.2.1]x", false, Errc::invalid_syntax},
    InvalidRow{std::string(65, 'a') + "@example.org", false, Errc::too_big},
    InvalidRow{"u@" + std::string(250, 'a') + ".example", false, Errc::too_big},
    InvalidRow{"j\xC3\xB6rg@example.org", false, Errc::invalid_syntax},
    InvalidRow{"user@b\xC3\xBC" "cher.example", false, Errc::invalid_syntax},
    InvalidRow{"j\xC3rg@example.org", true, Errc::invalid_syntax},
    InvalidRow{"j\xC0\xAFrg@example.org", true, Errc::invalid_syntax},
    InvalidRow{"j\xED\xA0\x80@example.org", true, Errc::invalid_syntax},
    InvalidRow{"j\xF5\x80\x80\x80@example.org", true, Errc::invalid_syntax},
    InvalidRow{"user@\xC3\xBC", false, Errc::invalid_syntax}));

struct PathRow {
  std::string text;
  bool ok;
  bool is_null;
  std::string mailbox;  // to_string() when ok and not null
};

class ReversePathTable : public ::testing::TestWithParam<PathRow> {};

TEST_P(ReversePathTable, Parses) {
  const auto& row = GetParam();
  auto path = parse_reverse_path(row.text);
  ASSERT_EQ(path.has_value(), row.ok) << row.text << (path ? "" : ": " + path.error().detail);
  if (!row.ok) return;
  EXPECT_EQ(path->is_null(), row.is_null);
  if (!row.is_null) { EXPECT_EQ(path->mailbox->to_string(), row.mailbox); }
}

INSTANTIATE_TEST_SUITE_P(Rfc5321, ReversePathTable, ::testing::Values(
    PathRow{"<>", true, true, ""},
    PathRow{"<user@example.org>", true, false, "user@example.org"},
    PathRow{"<@relay.example:user@example.org>", true, false, "user@example.org"},
    PathRow{"<@a.example,@b.example:user@example.org>", true, false, "user@example.org"},
    PathRow{"<\"x:y\"@example.org>", true, false, "\"x:y\"@example.org"},
    PathRow{"<user@[IPv6:::1]>", true, false, "user@[IPv6:::1]"},
    PathRow{"user@example.org", false, false, ""},
    PathRow{"<user@example.org", false, false, ""},
    PathRow{"user@example.org>", false, false, ""},
    PathRow{"< >", false, false, ""},
    PathRow{"<<>>", false, false, ""},
    PathRow{"<Postmaster>", false, false, ""},
    PathRow{"<@relay.example user@example.org>", false, false, ""},
    PathRow{"<@:user@example.org>", false, false, ""},
    PathRow{"<@a.example,b.example:user@example.org>", false, false, ""},
    PathRow{"<@a.example,:user@example.org>", false, false, ""},
    PathRow{"<@[192.0.2.1]:user@example.org>", false, false, ""},
    PathRow{"<" + std::string(64, 'a') + "@" + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
                std::string(61, 'd') + ">", true, false,
            std::string(64, 'a') + "@" + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
                std::string(61, 'd')},
    PathRow{"<" + std::string(64, 'a') + "@" + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
                std::string(62, 'd') + ">", false, false, ""}));

class ForwardPathTable : public ::testing::TestWithParam<PathRow> {};

TEST_P(ForwardPathTable, Parses) {
  const auto& row = GetParam();
  auto path = parse_forward_path(row.text);
  ASSERT_EQ(path.has_value(), row.ok) << row.text << (path ? "" : ": " + path.error().detail);
  if (row.ok) { EXPECT_EQ(path->to_string(), row.mailbox); }
}

INSTANTIATE_TEST_SUITE_P(Rfc5321, ForwardPathTable, ::testing::Values(
    PathRow{"<user@example.org>", true, false, "user@example.org"},
    PathRow{"<Postmaster>", true, false, "Postmaster"},
    PathRow{"<postmaster>", true, false, "postmaster"},
    PathRow{"<POSTMASTER>", true, false, "POSTMASTER"},
    PathRow{"<postmaster@example.org>", true, false, "postmaster@example.org"},
    PathRow{"<@relay.example:user@example.org>", true, false, "user@example.org"},
    PathRow{"<>", false, false, ""},
    PathRow{"<user>", false, false, ""},
    PathRow{"<Postmasters>", false, false, ""},
    PathRow{"<Postmaster >", false, false, ""}));

TEST(Mailbox, Predicates) {
  auto bare = parse_forward_path("<PostMaster>");
  ASSERT_TRUE(bare);
  EXPECT_TRUE(bare->is_bare_postmaster());
  EXPECT_FALSE(bare->is_address_literal());
  auto qualified = parse_forward_path("<postmaster@example.org>");
  ASSERT_TRUE(qualified);
  EXPECT_FALSE(qualified->is_bare_postmaster());
  auto literal = parse_mailbox("x@[192.0.2.1]");
  ASSERT_TRUE(literal);
  EXPECT_TRUE(literal->is_address_literal());
  EXPECT_FALSE(literal->is_quoted());
}

struct UnquoteRow {
  std::string text;
  std::string unquoted;
};

class Unquote : public ::testing::TestWithParam<UnquoteRow> {};

TEST_P(Unquote, RemovesQuotesAndQuotedPairs) {
  auto mailbox = parse_mailbox(GetParam().text);
  ASSERT_TRUE(mailbox) << GetParam().text;
  EXPECT_EQ(mailbox->unquoted_local_part(), GetParam().unquoted);
}

INSTANTIATE_TEST_SUITE_P(Rfc5321, Unquote, ::testing::Values(
    UnquoteRow{"plain@example.org", "plain"},
    UnquoteRow{"\"with space\"@example.org", "with space"},
    UnquoteRow{"\"a\\\"b\"@example.org", "a\"b"},
    UnquoteRow{"\"a\\\\b\"@example.org", "a\\b"},
    UnquoteRow{"\"\\x\"@example.org", "x"},
    UnquoteRow{"\"\"@example.org", ""}));

struct ExtentRow {
  std::string text;
  bool ok;
  std::size_t length;
};

class PathExtent : public ::testing::TestWithParam<ExtentRow> {};

TEST_P(PathExtent, FindsClosingBracket) {
  auto extent = path_extent(GetParam().text);
  ASSERT_EQ(extent.has_value(), GetParam().ok) << GetParam().text;
  if (GetParam().ok) { EXPECT_EQ(*extent, GetParam().length); }
}

INSTANTIATE_TEST_SUITE_P(Rfc5321, PathExtent, ::testing::Values(
    ExtentRow{"<>", true, 2},
    ExtentRow{"<a@b> SIZE=1", true, 5},
    ExtentRow{"<\"a>b\"@c> X", true, 9},
    ExtentRow{"<\"a\\\">b\"@c>", true, 11},
    ExtentRow{"", false, 0},
    ExtentRow{"a@b", false, 0},
    ExtentRow{"<a@b", false, 0},
    ExtentRow{"<\"a>b@c", false, 0},
    ExtentRow{"<" + std::string(300, 'a') + ">", false, 0},
    ExtentRow{"<" + std::string(254, 'a') + ">", true, 256},
    ExtentRow{"<" + std::string(255, 'a') + ">", false, 0}));

struct DomainRow {
  std::string text;
  bool utf8;
  bool ok;
};

class Domain : public ::testing::TestWithParam<DomainRow> {};

TEST_P(Domain, Validates) {
  auto checked = validate_domain(GetParam().text, AddressOptions{GetParam().utf8});
  EXPECT_EQ(checked.has_value(), GetParam().ok) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(Rfc5321, Domain, ::testing::Values(
    DomainRow{"localhost", false, true},
    DomainRow{"mail.example.org", false, true},
    DomainRow{"[192.0.2.1]", false, true},
    DomainRow{"[IPv6:2001:db8::25]", false, true},
    DomainRow{"m\xC3\xBC" "nchen.example", true, true},
    DomainRow{"m\xC3\xBC" "nchen.example", false, false},
    DomainRow{"", false, false},
    DomainRow{"mail example.org", false, false},
    DomainRow{"mail.example.org.", false, false},
    DomainRow{"-mail.example.org", false, false},
    DomainRow{"192.0.2.1", false, true},  // a Domain of digit labels is syntactically fine
    DomainRow{"[192.0.2.1", false, false},
    DomainRow{"[mail.example.org]", false, false},
    DomainRow{std::string(63, 'a') + "." + std::string(63, 'a') + "." + std::string(63, 'a') + "." +
                  std::string(63, 'a'), false, true},
    DomainRow{std::string(63, 'a') + "." + std::string(63, 'a') + "." + std::string(63, 'a') + "." +
                  std::string(64, 'a'), false, false}));

}  // namespace
}  // namespace bulwark::parse::smtp

#include "parse/mime/address_list.h"

#include <gtest/gtest.h>

#include "parse/mime/imap_serialize.h"

namespace bulwark::parse::mime {
namespace {

// Address lists rendered as in an IMAP ENVELOPE, which makes the table compact.
std::string imap(const AddressList& list) {
  Envelope envelope;
  envelope.to = list;
  const std::string all = write_envelope(envelope);
  // "(NIL NIL NIL NIL NIL <to> NIL NIL NIL NIL)"
  const std::string prefix = "(NIL NIL NIL NIL NIL ";
  const std::string suffix = " NIL NIL NIL NIL)";
  return all.substr(prefix.size(), all.size() - prefix.size() - suffix.size());
}

struct AddressCase {
  const char* name;
  const char* input;
  const char* expected;
  bool has_errors;
};

class AddressListTable : public ::testing::TestWithParam<AddressCase> {};

TEST_P(AddressListTable, Parses) {
  const auto& c = GetParam();
  const AddressList list = parse_address_list(c.input);
  EXPECT_EQ(imap(list), c.expected) << c.input;
  EXPECT_EQ(list.has_errors, c.has_errors) << c.input;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AddressListTable,
    ::testing::Values(
        AddressCase{"addr_spec", "user@example.com", R"(((NIL NIL "user" "example.com")))", false},
        AddressCase{"name_addr", "Jane Doe <jane@example.com>", R"((("Jane Doe" NIL "jane" "example.com")))", false},
        AddressCase{"quoted_name", R"("Doe, Jane" <jane@example.com>)", R"((("Doe, Jane" NIL "jane" "example.com")))",
                    false},
        AddressCase{"quoted_escape", R"("a \"b\" \\c" <x@y>)", R"((("a \"b\" \\c" NIL "x" "y")))", false},
        AddressCase{"comment_as_name", "jane@example.com (Jane Doe)", R"((("Jane Doe" NIL "jane" "example.com")))",
                    false},
        AddressCase{"comments_everywhere", "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
                    R"((("Pete" NIL "pete" "silly.test")))", false},
        AddressCase{"list", "a@x, B <b@y>,c@z", R"(((NIL NIL "a" "x")("B" NIL "b" "y")(NIL NIL "c" "z")))", false},
        AddressCase{"empty_members", ",, a@x ,,", R"(((NIL NIL "a" "x")))", false},
        AddressCase{"group", "Friends: a@x, b@y;",
                    R"(((NIL NIL "Friends" NIL)(NIL NIL "a" "x")(NIL NIL "b" "y")(NIL NIL NIL NIL)))", false},
        AddressCase{"empty_group", "undisclosed-recipients:;",
                    R"(((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)))", false},
        AddressCase{"unterminated_group", "G: a@x", R"(((NIL NIL "G" NIL)(NIL NIL "a" "x")(NIL NIL NIL NIL)))",
                    true},
        AddressCase{"route", "<@r1.example,@r2.example:u@d.example>",
                    R"(((NIL "@r1.example,@r2.example" "u" "d.example")))", false},
        AddressCase{"obs_phrase", "John Q. Public <jqp@example.com>",
                    R"((("John Q. Public" NIL "jqp" "example.com")))", false},
        AddressCase{"obs_local_part", "john . doe @ example . com", R"(((NIL NIL "john.doe" "example.com")))",
                    false},
        AddressCase{"quoted_local_part", R"("john doe"@example.com)", R"(((NIL NIL "john doe" "example.com")))",
                    false},
        AddressCase{"domain_literal", "u@[192.0.2.1]", R"(((NIL NIL "u" "[192.0.2.1]")))", false},
        AddressCase{"encoded_word_name_kept_raw", "=?utf-8?q?J=C3=B6rg?= <j@x>",
                    R"((("=?utf-8?q?J=C3=B6rg?=" NIL "j" "x")))", false},
        AddressCase{"utf8_name_literal", "J\xc3\xb6rg <j@x>", "(({5}\r\nJ\xc3\xb6rg NIL \"j\" \"x\"))", false},
        AddressCase{"missing_domain", "user", R"(((NIL NIL "user" "")))", true},
        AddressCase{"missing_at_in_angle", "Postmaster <postmaster>", R"((("Postmaster" NIL "postmaster" "")))",
                    true},
        AddressCase{"unclosed_angle", "A <a@x", R"((("A" NIL "a" "x")))", true},
        AddressCase{"unclosed_quote", R"("A <a@x>)", R"(((NIL NIL "A <a@x>" "")))", true},
        AddressCase{"stray_specials", "> a@x", R"(((NIL NIL "a" "x")))", true},
        AddressCase{"empty", "", "NIL", false}),
    [](const auto& name_info) { return std::string(name_info.param.name); });

TEST(AddressList, MaxAddresses) {
  const AddressList list = parse_address_list("a@x, b@x, c@x", 2);
  EXPECT_EQ(list.entries.size(), 2u);
  EXPECT_TRUE(list.is_truncated);
}

TEST(AddressList, MailboxesForSmtpFromCheck) {
  const AddressList list = parse_address_list("G: a@x;, \"B\" <b@y>");
  const auto boxes = mailboxes(list);
  ASSERT_EQ(boxes.size(), 2u);
  EXPECT_EQ(addr_spec(*boxes[0]), "a@x");
  EXPECT_EQ(addr_spec(*boxes[1]), "b@y");
}

TEST(AddressList, AddrSpecQuotesWhenNeeded) {
  Address a;
  a.local_part = "john doe";
  a.domain = "example.com";
  EXPECT_EQ(addr_spec(a), "\"john doe\"@example.com");
  a.local_part = "a\"b";
  EXPECT_EQ(addr_spec(a), "\"a\\\"b\"@example.com");
}

}  // namespace
}  // namespace bulwark::parse::mime

namespace bulwark::parse::mime {
namespace {

// Quoted strings in an ENVELOPE: '"' and '\' escaped wherever they are, the rest copied as is.
TEST(ImapStringTest, EscapesQuotesAndBackslashes) {
  for (const auto& [subject, expected] : std::vector<std::pair<std::string, std::string>>{
           {"plain", R"("plain")"},
           {"", R"("")"},
           {R"("q")", R"("\"q\"")"},
           {R"(a\b"c)", R"("a\\b\"c")"},
           {R"(\)", R"("\\")"},
           {R"(ends with ")", R"("ends with \"")"}}) {
    Envelope envelope;
    envelope.subject = subject;
    const std::string all = write_envelope(envelope);
    EXPECT_EQ(all, "(NIL " + expected + " NIL NIL NIL NIL NIL NIL NIL NIL)") << subject;
  }
}

}  // namespace
}  // namespace bulwark::parse::mime

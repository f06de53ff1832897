// Table-driven tests for SMTP command lines (parse/smtp/smtp_command.h), RFC 5321 4.1.1 and extensions.
#include "parse/smtp/smtp_command.h"

#include <gtest/gtest.h>

#include <string>

namespace bulwark::parse::smtp {
namespace {

using namespace std::string_literals;

// --- every verb, accepted --------------------------------------------------------------------------------

struct VerbRow {
  std::string line;
  Verb verb;
};

class AcceptedVerb : public ::testing::TestWithParam<VerbRow> {};

TEST_P(AcceptedVerb, Parses) {
  auto command = parse_command(GetParam().line);
  ASSERT_TRUE(command) << GetParam().line << ": " << command.error().detail;
  EXPECT_EQ(command->verb, GetParam().verb);
  EXPECT_EQ(parse_verb(GetParam().line), GetParam().verb);
}

INSTANTIATE_TEST_SUITE_P(Rfc5321, AcceptedVerb, ::testing::Values(
    VerbRow{"HELO mail.example.org", Verb::helo},
    VerbRow{"helo mail.example.org", Verb::helo},
    VerbRow{"HELO [192.0.2.1]", Verb::helo},
    VerbRow{"EHLO mail.example.org", Verb::ehlo},
    VerbRow{"eHlO localhost", Verb::ehlo},
    VerbRow{"EHLO [IPv6:2001:db8::1]", Verb::ehlo},
    VerbRow{"MAIL FROM:<a@example.org>", Verb::mail},
    VerbRow{"mail from:<a@example.org>", Verb::mail},
    VerbRow{"MAIL FROM:<>", Verb::mail},
    VerbRow{"MAIL FROM: <a@example.org>", Verb::mail},
    VerbRow{"RCPT TO:<b@example.org>", Verb::rcpt},
    VerbRow{"rcpt to:<b@example.org>", Verb::rcpt},
    VerbRow{"RCPT TO: <b@example.org>", Verb::rcpt},
    VerbRow{"RCPT TO:<Postmaster>", Verb::rcpt},
    VerbRow{"DATA", Verb::data},
    VerbRow{"data", Verb::data},
    VerbRow{"BDAT 0 LAST", Verb::bdat},
    VerbRow{"BDAT 1000", Verb::bdat},
    VerbRow{"RSET", Verb::rset},
    VerbRow{"NOOP", Verb::noop},
    VerbRow{"NOOP anything at all", Verb::noop},
    VerbRow{"QUIT", Verb::quit},
    VerbRow{"HELP", Verb::help},
    VerbRow{"HELP MAIL", Verb::help},
    VerbRow{"VRFY user", Verb::vrfy},
    VerbRow{"VRFY \"John Smith\"", Verb::vrfy},
    VerbRow{"EXPN staff", Verb::expn},
    VerbRow{"STARTTLS", Verb::starttls},
    VerbRow{"starttls", Verb::starttls},
    VerbRow{"AUTH PLAIN", Verb::auth},
    VerbRow{"AUTH PLAIN AHVzZXIAcGFzcw==", Verb::auth},
    VerbRow{"AUTH LOGIN", Verb::auth},
    VerbRow{"AUTH PLAIN =", Verb::auth}));

TEST(VerbName, RoundTrips) {
  for (Verb verb : {Verb::helo, Verb::ehlo, Verb::mail, Verb::rcpt, Verb::data, Verb::bdat, Verb::rset,
                    Verb::noop, Verb::quit, Verb::help, Verb::vrfy, Verb::expn, Verb::starttls, Verb::auth}) {
    EXPECT_EQ(parse_verb(verb_name(verb)), verb) << verb_name(verb);
  }
  EXPECT_EQ(parse_verb("XYZZY"), std::nullopt);
  EXPECT_EQ(parse_verb(""), std::nullopt);
  EXPECT_EQ(parse_verb("MAILX FROM:<>"), std::nullopt);
}

// --- rejected lines ---------------------------------------------------------------------------------------

struct RejectRow {
  std::string line;
  Errc code;
};

class RejectedLine : public ::testing::TestWithParam<RejectRow> {};

TEST_P(RejectedLine, Fails) {
  auto command = parse_command(GetParam().line);
  ASSERT_FALSE(command) << GetParam().line;
  EXPECT_EQ(command.error().code, GetParam().code) << GetParam().line << ": " << command.error().detail;
  EXPECT_FALSE(command.error().detail.empty());
}

INSTANTIATE_TEST_SUITE_P(Rfc5321, RejectedLine, ::testing::Values(
    // verbs and framing
    RejectRow{"", Errc::invalid_syntax},
    RejectRow{"XYZZY", Errc::invalid_syntax},
    RejectRow{" HELO example.org", Errc::invalid_syntax},
    RejectRow{"HEL", Errc::invalid_syntax},
    RejectRow{"MAILFROM:<>", Errc::invalid_syntax},
    RejectRow{"DATA\r", Errc::invalid_syntax},
    RejectRow{"DATA\n", Errc::invalid_syntax},
    RejectRow{"NOOP\0"s, Errc::invalid_syntax},
    RejectRow{"NOOP a\0b"s, Errc::invalid_syntax},
    RejectRow{"NOOP a\tb", Errc::invalid_syntax},
    RejectRow{"NOOP a\x7f" "b", Errc::invalid_syntax},
    RejectRow{"NOOP \x1b[31m", Errc::invalid_syntax},
    RejectRow{"NOOP \xff", Errc::invalid_syntax},
    RejectRow{"NOOP \xC3\xA9", Errc::invalid_syntax},
    RejectRow{"NOOP " + std::string(1020, 'x'), Errc::too_big},
    // no-argument verbs
    RejectRow{"DATA x", Errc::invalid_syntax},
    RejectRow{"DATA ", Errc::invalid_syntax},
    RejectRow{"RSET now", Errc::invalid_syntax},
    RejectRow{"QUIT bye", Errc::invalid_syntax},
    RejectRow{"STARTTLS x", Errc::invalid_syntax},
    RejectRow{"NOOP ", Errc::invalid_syntax},
    RejectRow{"HELP ", Errc::invalid_syntax},
    // HELO / EHLO
    RejectRow{"HELO", Errc::invalid_syntax},
    RejectRow{"EHLO", Errc::invalid_syntax},
    RejectRow{"EHLO ", Errc::invalid_syntax},
    RejectRow{"EHLO  example.org", Errc::invalid_syntax},
    RejectRow{"EHLO example.org ", Errc::invalid_syntax},
    RejectRow{"EHLO exa mple.org", Errc::invalid_syntax},
    RejectRow{"EHLO example..org", Errc::invalid_syntax},
    RejectRow{"EHLO [192.0.2.300]", Errc::invalid_syntax},
    RejectRow{"EHLO m\xC3\xBCnchen.example", Errc::invalid_syntax},
    // MAIL
    RejectRow{"MAIL", Errc::invalid_syntax},
    RejectRow{"MAIL FROM", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:a@example.org", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<a@example.org", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:  <a@example.org>", Errc::invalid_syntax},
    RejectRow{"MAIL FROM :<a@example.org>", Errc::invalid_syntax},
    RejectRow{"MAIL  FROM:<a@example.org>", Errc::invalid_syntax},
    RejectRow{"MAIL TO:<a@example.org>", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<a@example.org>SIZE=10", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<a@example.org> ", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<a@example.org>  SIZE=10", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<Postmaster>", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<j\xC3\xB6rg@example.org>", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<" + std::string(65, 'a') + "@example.org>", Errc::too_big},
    RejectRow{"MAIL FROM:<" + std::string(300, 'a') + "@example.org>", Errc::too_big},
    // MAIL parameters
    RejectRow{"MAIL FROM:<> XFOO", Errc::invalid_argument},
    RejectRow{"MAIL FROM:<> XFOO=bar", Errc::invalid_argument},
    RejectRow{"MAIL FROM:<> NOTIFY=NEVER", Errc::invalid_argument},
    RejectRow{"MAIL FROM:<> ORCPT=rfc822;a@b", Errc::invalid_argument},
    RejectRow{"MAIL FROM:<> SIZE", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> SIZE=", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> SIZE=-1", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> SIZE=12a", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> SIZE=18446744073709551616", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> SIZE=000000000000000000001", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> SIZE=1 SIZE=2", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> SIZE=1 size=1", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> BODY=8BIT", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> BODY", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> BODY=7BIT BODY=8BITMIME", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> SMTPUTF8=yes", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> SMTPUTF8 SMTPUTF8", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> REQUIRETLS=yes", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> RET=NONE", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> RET=FULL RET=HDRS", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> ENVID=a+2", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> ENVID=a+ZZ", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> ENVID=a+0A", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> ENVID=a+00", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> ENVID=a+C3+A9", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> ENVID=" + std::string(101, 'e'), Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> ENVID=a ENVID=b", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> AUTH=", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> AUTH=a+0D+0Ab", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> =x", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> -X=1", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> X_Y=1", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> SIZE=1=2", Errc::invalid_syntax},
    RejectRow{"MAIL FROM:<> ENVID=\xC3\xA9", Errc::invalid_syntax},
    // RCPT
    RejectRow{"RCPT", Errc::invalid_syntax},
    RejectRow{"RCPT TO:", Errc::invalid_syntax},
    RejectRow{"RCPT TO:<>", Errc::invalid_syntax},
    RejectRow{"RCPT FROM:<a@example.org>", Errc::invalid_syntax},
    RejectRow{"RCPT TO:b@example.org", Errc::invalid_syntax},
    RejectRow{"RCPT TO:<b@example.org> SIZE=10", Errc::invalid_argument},
    RejectRow{"RCPT TO:<b@example.org> BODY=8BITMIME", Errc::invalid_argument},
    RejectRow{"RCPT TO:<b@example.org> XFOO", Errc::invalid_argument},
    RejectRow{"RCPT TO:<b@example.org> NOTIFY", Errc::invalid_syntax},
    RejectRow{"RCPT TO:<b@example.org> NOTIFY=", Errc::invalid_syntax},
    RejectRow{"RCPT TO:<b@example.org> NOTIFY=NEVER,SUCCESS", Errc::invalid_syntax},
    RejectRow{"RCPT TO:<b@example.org> NOTIFY=SUCCESS,NEVER", Errc::invalid_syntax},
    RejectRow{"RCPT TO:<b@example.org> NOTIFY=SUCCESS,SUCCESS", Errc::invalid_syntax},
    RejectRow{"RCPT TO:<b@example.org> NOTIFY=SUCCESS,", Errc::invalid_syntax},
    RejectRow{"RCPT TO:<b@example.org> NOTIFY=ALWAYS", Errc::invalid_syntax},
    RejectRow{"RCPT TO:<b@example.org> NOTIFY=NEVER NOTIFY=NEVER", Errc::invalid_syntax},
    RejectRow{"RCPT TO:<b@example.org> ORCPT=rfc822", Errc::invalid_syntax},
    RejectRow{"RCPT TO:<b@example.org> ORCPT=;a@b", Errc::invalid_syntax},
    RejectRow{"RCPT TO:<b@example.org> ORCPT=rfc822;", Errc::invalid_syntax},
    RejectRow{"RCPT TO:<b@example.org> ORCPT=rfc822;a+4", Errc::invalid_syntax},
    RejectRow{"RCPT TO:<b@example.org> ORCPT=rf(c;a@b", Errc::invalid_syntax},
    RejectRow{"RCPT TO:<b@example.org> ORCPT=rfc822;" + std::string(500, 'a'), Errc::invalid_syntax},
    RejectRow{"RCPT TO:<b@example.org> ORCPT=rfc822;a@b ORCPT=rfc822;c@d", Errc::invalid_syntax},
    RejectRow{"RCPT TO:<j\xC3\xB6rg@example.org>", Errc::invalid_syntax},
    // BDAT
    RejectRow{"BDAT", Errc::invalid_syntax},
    RejectRow{"BDAT ", Errc::invalid_syntax},
    RejectRow{"BDAT LAST", Errc::invalid_syntax},
    RejectRow{"BDAT -1", Errc::invalid_syntax},
    RejectRow{"BDAT +1", Errc::invalid_syntax},
    RejectRow{"BDAT 1x", Errc::invalid_syntax},
    RejectRow{"BDAT 1 LAS", Errc::invalid_syntax},
    RejectRow{"BDAT 1 LAST ", Errc::invalid_syntax},
    RejectRow{"BDAT 1  LAST", Errc::invalid_syntax},
    RejectRow{"BDAT 1 LAST X", Errc::invalid_syntax},
    RejectRow{"BDAT 18446744073709551616", Errc::invalid_syntax},
    RejectRow{"BDAT 99999999999999999999999", Errc::invalid_syntax},
    // AUTH
    RejectRow{"AUTH", Errc::invalid_syntax},
    RejectRow{"AUTH ", Errc::invalid_syntax},
    RejectRow{"AUTH PLAIN ", Errc::invalid_syntax},
    RejectRow{"AUTH PL.AIN", Errc::invalid_syntax},
    RejectRow{"AUTH ABCDEFGHIJKLMNOPQRSTU", Errc::invalid_syntax},
    RejectRow{"AUTH PLAIN AHVz ZXI=", Errc::invalid_syntax},
    RejectRow{"AUTH PLAIN AHVz!ZXI=", Errc::invalid_syntax},
    // VRFY / EXPN
    RejectRow{"VRFY", Errc::invalid_syntax},
    RejectRow{"VRFY ", Errc::invalid_syntax},
    RejectRow{"EXPN", Errc::invalid_syntax},
    RejectRow{"VRFY j\xC3\xB6rg", Errc::invalid_syntax}));

// --- line limit -------------------------------------------------------------------------------------------

TEST(CommandLimits, MaxLineIsInclusive) {
  const std::string at_limit = "NOOP " + std::string(1024 - 5, 'x');
  EXPECT_TRUE(parse_command(at_limit));
  EXPECT_EQ(parse_command(at_limit + "x").error().code, Errc::too_big);
  EXPECT_EQ(parse_command("NOOP hello", CommandLimits{8}).error().code, Errc::too_big);
  EXPECT_TRUE(parse_command("NOOP hello", CommandLimits{10}));
}

TEST(CommandLimits, AuthLineMayBeLonger) {
  // RFC 4954 4: 12288 octets for AUTH with an initial response (e.g. XOAUTH2 tokens).
  const std::string token(12288 - 13, 'A');
  auto command = parse_command("AUTH XOAUTH2 " + token);
  ASSERT_TRUE(command) << command.error().detail;
  EXPECT_EQ(std::get<Auth>(command->argument).initial_response, token);
  EXPECT_EQ(parse_command("AUTH XOAUTH2 " + token + "A").error().code, Errc::too_big);
  EXPECT_EQ(parse_command("NOOP " + token).error().code, Errc::too_big);
  EXPECT_EQ(parse_command("AUTH PLAIN " + token, CommandLimits{1024, 100}).error().code, Errc::too_big);
}

// --- arguments of each verb -------------------------------------------------------------------------------

TEST(Hello, KeepsDomainAsSent) {
  auto command = parse_command("EHLO Mail.Example.ORG");
  ASSERT_TRUE(command);
  EXPECT_EQ(std::get<Hello>(command->argument).domain, "Mail.Example.ORG");
  command = parse_command("HELO [192.0.2.1]");
  ASSERT_TRUE(command);
  EXPECT_EQ(std::get<Hello>(command->argument).domain, "[192.0.2.1]");
}

TEST(NoArgument, IsMonostate) {
  for (const char* line : {"DATA", "RSET", "QUIT", "STARTTLS", "NOOP", "HELP"}) {
    auto command = parse_command(line);
    ASSERT_TRUE(command) << line;
    EXPECT_TRUE(std::holds_alternative<std::monostate>(command->argument)) << line;
  }
}

struct TextRow {
  std::string line;
  bool smtputf8_context;
  std::string text;
  bool smtputf8;
};

class TextArgument : public ::testing::TestWithParam<TextRow> {};

TEST_P(TextArgument, Parses) {
  const auto& row = GetParam();
  auto command = parse_command(row.line, {}, CommandContext{row.smtputf8_context});
  ASSERT_TRUE(command) << row.line << ": " << command.error().detail;
  const auto& text = std::get<Text>(command->argument);
  EXPECT_EQ(text.text, row.text);
  EXPECT_EQ(text.smtputf8, row.smtputf8);
}

INSTANTIATE_TEST_SUITE_P(Rfc5321, TextArgument, ::testing::Values(
    TextRow{"VRFY postmaster", false, "postmaster", false},
    TextRow{"VRFY John Smith", false, "John Smith", false},
    TextRow{"EXPN \"staff list\"", false, "\"staff list\"", false},
    TextRow{"VRFY j\xC3\xB6rg SMTPUTF8", false, "j\xC3\xB6rg", true},
    TextRow{"EXPN j\xC3\xB6rg smtputf8", false, "j\xC3\xB6rg", true},
    TextRow{"VRFY j\xC3\xB6rg", true, "j\xC3\xB6rg", false},
    TextRow{"HELP DATA", false, "DATA", false},
    TextRow{"NOOP  spaced  ", false, " spaced  ", false}));

struct MailRow {
  std::string line;
  std::string reverse_path;  // "" for <>
  MailParameters expected;
};

MailParameters mail(std::optional<std::uint64_t> size, std::optional<Body> body, bool smtputf8,
                    std::optional<Ret> ret, std::optional<std::string> envid, std::optional<std::string> auth) {
  return MailParameters{size, body, smtputf8, ret, std::move(envid), std::move(auth), false};
}

class MailFromTable : public ::testing::TestWithParam<MailRow> {};

TEST_P(MailFromTable, Parses) {
  const auto& row = GetParam();
  auto command = parse_command(row.line);
  ASSERT_TRUE(command) << row.line << ": " << command.error().detail;
  ASSERT_EQ(command->verb, Verb::mail);
  const auto& from = std::get<MailFrom>(command->argument);
  if (row.reverse_path.empty()) {
    EXPECT_TRUE(from.reverse_path.is_null());
  } else {
    ASSERT_FALSE(from.reverse_path.is_null());
    EXPECT_EQ(from.reverse_path.mailbox->to_string(), row.reverse_path);
  }
  EXPECT_EQ(from.parameters.size, row.expected.size);
  EXPECT_EQ(from.parameters.body, row.expected.body);
  EXPECT_EQ(from.parameters.smtputf8, row.expected.smtputf8);
  EXPECT_EQ(from.parameters.ret, row.expected.ret);
  EXPECT_EQ(from.parameters.envid, row.expected.envid);
  EXPECT_EQ(from.parameters.auth, row.expected.auth);
  EXPECT_EQ(from.parameters.requiretls, row.expected.requiretls);
}

TEST(MailFrom, RequireTls) {  // RFC 8689 4.1: a keyword without value
  for (const char* line : {"MAIL FROM:<a@example.org> REQUIRETLS", "MAIL FROM:<> requiretls SIZE=10"}) {
    auto command = parse_command(line);
    ASSERT_TRUE(command) << line;
    EXPECT_TRUE(std::get<MailFrom>(command->argument).parameters.requiretls) << line;
  }
  auto plain = parse_command("MAIL FROM:<a@example.org> SIZE=10");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(std::get<MailFrom>(plain->argument).parameters.requiretls);
}

INSTANTIATE_TEST_SUITE_P(Rfc5321, MailFromTable, ::testing::Values(
    MailRow{"MAIL FROM:<>", "", {}},
    MailRow{"MAIL FROM:<a@example.org>", "a@example.org", {}},
    MailRow{"MAIL FROM: <a@example.org>", "a@example.org", {}},
    MailRow{"MAIL FROM: <>", "", {}},
    MailRow{"MAIL FROM:<@relay.example:a@example.org>", "a@example.org", {}},
    MailRow{"MAIL FROM:<\"a b\"@example.org>", "\"a b\"@example.org", {}},
    MailRow{"MAIL FROM:<\"a>b\"@example.org> SIZE=5", "\"a>b\"@example.org", mail(5, {}, false, {}, {}, {})},
    MailRow{"MAIL FROM:<a@[192.0.2.1]>", "a@[192.0.2.1]", {}},
    MailRow{"MAIL FROM:<> SIZE=0", "", mail(0, {}, false, {}, {}, {})},
    MailRow{"MAIL FROM:<> SIZE=1000000", "", mail(1000000, {}, false, {}, {}, {})},
    MailRow{"MAIL FROM:<> size=42", "", mail(42, {}, false, {}, {}, {})},
    MailRow{"MAIL FROM:<> SIZE=18446744073709551615", "", mail(UINT64_MAX, {}, false, {}, {}, {})},
    MailRow{"MAIL FROM:<> BODY=7BIT", "", mail({}, Body::seven_bit, false, {}, {}, {})},
    MailRow{"MAIL FROM:<> BODY=8BITMIME", "", mail({}, Body::eight_bit_mime, false, {}, {}, {})},
    MailRow{"MAIL FROM:<> body=8bitmime", "", mail({}, Body::eight_bit_mime, false, {}, {}, {})},
    MailRow{"MAIL FROM:<> BODY=BINARYMIME", "", mail({}, Body::binary_mime, false, {}, {}, {})},
    MailRow{"MAIL FROM:<> SMTPUTF8", "", mail({}, {}, true, {}, {}, {})},
    MailRow{"MAIL FROM:<> smtputf8", "", mail({}, {}, true, {}, {}, {})},
    MailRow{"MAIL FROM:<j\xC3\xB6rg@b\xC3\xBC" "cher.example> SMTPUTF8", "j\xC3\xB6rg@b\xC3\xBC" "cher.example",
            mail({}, {}, true, {}, {}, {})},
    MailRow{"MAIL FROM:<> RET=FULL", "", mail({}, {}, false, Ret::full, {}, {})},
    MailRow{"MAIL FROM:<> RET=HDRS", "", mail({}, {}, false, Ret::headers, {}, {})},
    MailRow{"MAIL FROM:<> ret=hdrs", "", mail({}, {}, false, Ret::headers, {}, {})},
    MailRow{"MAIL FROM:<> ENVID=QQ314159", "", mail({}, {}, false, {}, "QQ314159", {})},
    MailRow{"MAIL FROM:<> ENVID=a+2Bb+3Dc", "", mail({}, {}, false, {}, "a+b=c", {})},
    MailRow{"MAIL FROM:<> ENVID=a+20b", "", mail({}, {}, false, {}, "a b", {})},
    MailRow{"MAIL FROM:<> ENVID=" + std::string(100, 'e'), "", mail({}, {}, false, {}, std::string(100, 'e'), {})},
    MailRow{"MAIL FROM:<> AUTH=<>", "", mail({}, {}, false, {}, {}, "<>")},
    MailRow{"MAIL FROM:<> AUTH=e+3Dmc2@example.com", "", mail({}, {}, false, {}, {}, "e=mc2@example.com")},
    MailRow{"MAIL FROM:<a@example.org> SIZE=100 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=x1 AUTH=a@example.org",
            "a@example.org", mail(100, Body::eight_bit_mime, true, Ret::headers, "x1", "a@example.org")},
    MailRow{"MAIL FROM:<> SMTPUTF8 ENVID=\xC3\xA9", "", mail({}, {}, true, {}, "\xC3\xA9", {})}));

struct RcptRow {
  std::string line;
  bool smtputf8_context;
  std::string forward_path;
  RcptParameters expected;
};

class RcptToTable : public ::testing::TestWithParam<RcptRow> {};

TEST_P(RcptToTable, Parses) {
  const auto& row = GetParam();
  auto command = parse_command(row.line, {}, CommandContext{row.smtputf8_context});
  ASSERT_TRUE(command) << row.line << ": " << command.error().detail;
  ASSERT_EQ(command->verb, Verb::rcpt);
  const auto& to = std::get<RcptTo>(command->argument);
  EXPECT_EQ(to.forward_path.to_string(), row.forward_path);
  EXPECT_EQ(to.parameters.notify, row.expected.notify);
  EXPECT_EQ(to.parameters.orcpt, row.expected.orcpt);
}

INSTANTIATE_TEST_SUITE_P(Rfc5321, RcptToTable, ::testing::Values(
    RcptRow{"RCPT TO:<b@example.org>", false, "b@example.org", {}},
    RcptRow{"RCPT TO: <b@example.org>", false, "b@example.org", {}},
    RcptRow{"RCPT TO:<Postmaster>", false, "Postmaster", {}},
    RcptRow{"RCPT TO:<postmaster>", false, "postmaster", {}},
    RcptRow{"RCPT TO:<@a.example,@b.example:b@example.org>", false, "b@example.org", {}},
    RcptRow{"RCPT TO:<j\xC3\xB6rg@example.org>", true, "j\xC3\xB6rg@example.org", {}},
    RcptRow{"RCPT TO:<b@example.org> NOTIFY=NEVER", false, "b@example.org", {Notify{true, false, false, false}, {}}},
    RcptRow{"RCPT TO:<b@example.org> NOTIFY=never", false, "b@example.org", {Notify{true, false, false, false}, {}}},
    RcptRow{"RCPT TO:<b@example.org> NOTIFY=SUCCESS", false, "b@example.org", {Notify{false, true, false, false}, {}}},
    RcptRow{"RCPT TO:<b@example.org> NOTIFY=FAILURE", false, "b@example.org", {Notify{false, false, true, false}, {}}},
    RcptRow{"RCPT TO:<b@example.org> NOTIFY=DELAY", false, "b@example.org", {Notify{false, false, false, true}, {}}},
    RcptRow{"RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE", false, "b@example.org",
            {Notify{false, true, true, false}, {}}},
    RcptRow{"RCPT TO:<b@example.org> NOTIFY=DELAY,failure,Success", false, "b@example.org",
            {Notify{false, true, true, true}, {}}},
    RcptRow{"RCPT TO:<b@example.org> ORCPT=rfc822;b@example.org", false, "b@example.org",
            {{}, OriginalRecipient{"rfc822", "b@example.org"}}},
    RcptRow{"RCPT TO:<b@example.org> ORCPT=rfc822;a+2Bb@example.org", false, "b@example.org",
            {{}, OriginalRecipient{"rfc822", "a+b@example.org"}}},
    RcptRow{"RCPT TO:<b@example.org> ORCPT=utf-8;j\xC3\xB6rg@example.org", true, "b@example.org",
            {{}, OriginalRecipient{"utf-8", "j\xC3\xB6rg@example.org"}}},
    RcptRow{"RCPT TO:<b@example.org> NOTIFY=FAILURE,DELAY ORCPT=rfc822;b@example.org", false, "b@example.org",
            {Notify{false, false, true, true}, OriginalRecipient{"rfc822", "b@example.org"}}}));

struct BdatRow {
  std::string line;
  std::uint64_t size;
  bool last;
};

class BdatTable : public ::testing::TestWithParam<BdatRow> {};

TEST_P(BdatTable, Parses) {
  auto command = parse_command(GetParam().line);
  ASSERT_TRUE(command) << GetParam().line;
  const auto& bdat = std::get<Bdat>(command->argument);
  EXPECT_EQ(bdat.chunk_size, GetParam().size);
  EXPECT_EQ(bdat.is_last, GetParam().last);
}

INSTANTIATE_TEST_SUITE_P(Rfc3030, BdatTable, ::testing::Values(
    BdatRow{"BDAT 0", 0, false},
    BdatRow{"BDAT 0 LAST", 0, true},
    BdatRow{"BDAT 86 LAST", 86, true},
    BdatRow{"bdat 1000 last", 1000, true},
    BdatRow{"BDAT 007", 7, false},
    BdatRow{"BDAT 18446744073709551615", UINT64_MAX, false},
    BdatRow{"BDAT 018446744073709551615 LAST", UINT64_MAX, true}));

struct AuthRow {
  std::string line;
  std::string mechanism;
  std::optional<std::string> initial_response;
};

class AuthTable : public ::testing::TestWithParam<AuthRow> {};

TEST_P(AuthTable, Parses) {
  auto command = parse_command(GetParam().line);
  ASSERT_TRUE(command) << GetParam().line;
  const auto& auth = std::get<Auth>(command->argument);
  EXPECT_EQ(auth.mechanism, GetParam().mechanism);
  EXPECT_EQ(auth.initial_response, GetParam().initial_response);
}

INSTANTIATE_TEST_SUITE_P(Rfc4954, AuthTable, ::testing::Values(
    AuthRow{"AUTH PLAIN", "PLAIN", std::nullopt},
    AuthRow{"auth plain", "PLAIN", std::nullopt},
    AuthRow{"AUTH LOGIN", "LOGIN", std::nullopt},
    AuthRow{"AUTH SCRAM-SHA-256", "SCRAM-SHA-256", std::nullopt},
    AuthRow{"AUTH X_MECH", "X_MECH", std::nullopt},
    AuthRow{"AUTH ABCDEFGHIJKLMNOPQRST", "ABCDEFGHIJKLMNOPQRST", std::nullopt},
    AuthRow{"AUTH PLAIN =", "PLAIN", ""},
    AuthRow{"AUTH PLAIN AHVzZXIAcGFzcw==", "PLAIN", "AHVzZXIAcGFzcw=="},
    AuthRow{"AUTH LOGIN dXNlcg==", "LOGIN", "dXNlcg=="},
    AuthRow{"AUTH XOAUTH2 dXNlcj1h+/8=", "XOAUTH2", "dXNlcj1h+/8="}));

TEST(RcptContext, Utf8NeedsSmtputf8Transaction) {
  const std::string line = "RCPT TO:<j\xC3\xB6rg@example.org>";
  EXPECT_FALSE(parse_command(line, {}, CommandContext{false}));
  EXPECT_TRUE(parse_command(line, {}, CommandContext{true}));
}

TEST(UnknownParameter, DetailNamesIt) {
  auto command = parse_command("MAIL FROM:<> SIZE=10 xdeliverby=120");
  ASSERT_FALSE(command);
  EXPECT_EQ(command.error().code, Errc::invalid_argument);
  EXPECT_NE(command.error().detail.find("XDELIVERBY"), std::string::npos) << command.error().detail;
  command = parse_command("RCPT TO:<a@b> FOO=1");
  ASSERT_FALSE(command);
  EXPECT_NE(command.error().detail.find("FOO"), std::string::npos) << command.error().detail;
}

TEST(DuplicateParameter, DetailNamesIt) {
  auto command = parse_command("MAIL FROM:<> BODY=7BIT body=7bit");
  ASSERT_FALSE(command);
  EXPECT_EQ(command.error().code, Errc::invalid_syntax);
  EXPECT_NE(command.error().detail.find("duplicate"), std::string::npos);
  EXPECT_NE(command.error().detail.find("BODY"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::parse::smtp

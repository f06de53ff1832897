// SEARCH evaluation (RFC 9051 6.4.4) over keys parsed by parse::imap::parse_command.
#include "protocol/imap/search_matcher.h"

#include <gtest/gtest.h>

#include "parse/imap/command_parser.h"
#include "protocol/imap/response_format.h"

namespace bulwark::protocol::imap {
namespace {

constexpr std::string_view kMessage =
    "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: =?UTF-8?Q?Caf=C3=A9?= plans\r\n"
    "Date: Tue, 1 Jul 2003 10:52:37 +0200\r\nX-Tag: blue\r\n\r\nMeet at the usual place.\r\n";

parse::imap::SearchKey key(const std::string& criteria) {
  auto command = parse::imap::parse_command("t SEARCH " + criteria);
  EXPECT_TRUE(command) << criteria;
  return std::get<parse::imap::SearchArgs>(command->args).key;
}

TEST(SearchMatcherTest, Table) {
  std::vector<std::string> flags{"\\Seen", "$Work"};
  SearchMessage message;
  message.seq = 2;
  message.uid = 20;
  message.modseq = 5;
  message.internal_date = days_from_civil(2024, 3, 10) * 86400 + 3600;
  message.size = 300;
  message.flags = &flags;
  message.raw = kMessage;
  SearchScope scope{3, 30};
  struct Case {
    std::string criteria;
    bool match;
  };
  for (const auto& c : std::vector<Case>{
           {"ALL", true},                      {"SEEN", true},
           {"UNSEEN", false},                  {"KEYWORD $work", true},
           {"UNKEYWORD $Work", false},         {"FROM alice", true},
           {"FROM bob", false},                {"TO BOB", true},
           {"SUBJECT \"caf\"", true},          {"SUBJECT plans", true},
           {"HEADER X-Tag blue", true},        {"HEADER X-Tag \"\"", true},
           {"HEADER X-Other \"\"", false},     {"BODY usual", true},
           {"BODY Alice", false},              {"TEXT Alice", true},
           {"ON 10-Mar-2024", true},           {"BEFORE 10-Mar-2024", false},
           {"SINCE 10-Mar-2024", true},        {"SENTON 1-Jul-2003", true},
           {"SENTBEFORE 1-Jul-2003", false},   {"LARGER 299", true},
           {"SMALLER 300", false},             {"UID 20", true},
           {"UID 21:*", false},                {"2", true},
           {"*", false},                       {"NOT 2", false},
           {"OR 1 2", true},                   {"(SEEN FROM alice) UNDELETED", true},
           {"MODSEQ 5", true},                 {"MODSEQ 6", false},
           {"NEW", false},                     {"OLD", true}}) {
    EXPECT_EQ(matches(key(c.criteria), message, scope), c.match) << c.criteria;
  }
  EXPECT_TRUE(needs_content(key("OR SEEN BODY x")));
  EXPECT_TRUE(uses_modseq(key("NOT MODSEQ 4")));
}

// BODY and TEXT fold ASCII case only; the first character is found in either case, at any place.
TEST(SearchMatcherTest, BodyCaseFolding) {
  SearchMessage message;
  message.raw = "Subject: x\r\n\r\n\xc3\xa9 Quarterly figures; the QUARTERLY plan.\r\nEnd:Z";
  SearchScope scope{1, 1};
  struct Case {
    std::string criteria;
    bool match;
  };
  for (const auto& c : std::vector<Case>{{"BODY quarterly", true},      {"BODY \"QUARTERLY PLAN\"", true},
                                         {"BODY qUaRtErLy", true},      {"BODY \"quarterly f\"", true},
                                         {"BODY \"y plan.\"", true},   {"BODY end:z", true},
                                         {"BODY \"End:Z\"", true},        {"BODY \"End:ZZ\"", false},
                                         {"BODY quarterlyx", false},    {"BODY ;", true},
                                         {"BODY Subject", false},       {"BODY \"figures  the\"", false}}) {
    EXPECT_EQ(matches(key("CHARSET UTF-8 " + c.criteria), message, scope), c.match) << c.criteria;
  }
  EXPECT_FALSE(needs_content(key("SEEN LARGER 4 UID 1:*")));
  EXPECT_TRUE(uses_modseq(key("NOT MODSEQ 4")));
}

TEST(SearchMatcherTest, DecodedHeaderMatchesUtf8) {
  parse::imap::ParseOptions options;
  options.is_utf8_enabled = true;
  auto command = parse::imap::parse_command("t SEARCH CHARSET UTF-8 SUBJECT \"Café\"", options);
  ASSERT_TRUE(command);
  SearchMessage message;
  message.raw = kMessage;
  EXPECT_TRUE(matches(std::get<parse::imap::SearchArgs>(command->args).key, message, SearchScope{1, 1}));
}

}  // namespace
}  // namespace bulwark::protocol::imap

// parse_command: one row per command form (including the examples of RFC 9051 6.x) and one per error.
// Values of the parsed arguments are checked in command_parser_values_test.cpp.
#include "parse/imap/command_parser.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace bulwark::parse::imap {
namespace {

using namespace std::string_literals;
using N = CommandName;

struct AcceptRow {
  std::string input;
  CommandName name;
  bool is_utf8_enabled = false;
};

// Every row must parse, to the named command, with the tag "a".
std::vector<AcceptRow> accept_rows() {
  return {
      // 6.1 any state
      {"a CAPABILITY", N::capability}, {"a capability", N::capability}, {"a NOOP", N::noop},
      {"a LOGOUT", N::logout},
      // 6.2 not authenticated
      {"a STARTTLS", N::starttls},
      {"a AUTHENTICATE GSSAPI", N::authenticate},
      {"a AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=", N::authenticate},
      {"a AUTHENTICATE PLAIN =", N::authenticate},
      {"a LOGIN SMITH SESAME", N::login},
      {"a LOGIN \"fred foobar\" \"pass\\\"word\"", N::login},
      {"a LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man", N::login},
      {"a LOGIN {4+}\r\nuser ~pass]", N::login},
      // 6.3 authenticated
      {"a ENABLE CONDSTORE", N::enable}, {"a ENABLE UTF8=ACCEPT IMAP4rev2 QRESYNC", N::enable},
      {"a SELECT INBOX", N::select}, {"a select inbox", N::select},
      {"a SELECT INBOX (CONDSTORE)", N::select},
      {"a SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))", N::select},
      {"a SELECT INBOX (QRESYNC (67890007 90060115194045000 41:211,214:541 (1:20 1:30)))", N::select},
      {"a SELECT INBOX (QRESYNC (67890007 90060115194045000 (1:20 1:30)))", N::select},
      {"a SELECT INBOX (QRESYNC (1 2))", N::select},
      {"a EXAMINE blurdybloop", N::examine},
      {"a CREATE owatagusiam/", N::create}, {"a CREATE owatagusiam/blurdybloop", N::create},
      {"a CREATE MySpecialArchive (USE (\\Archive))", N::create},
      {"a CREATE Drafts (USE (\\Drafts \\Sent))", N::create},
      {"a DELETE blurdybloop", N::delete_}, {"a DELETE foo/bar", N::delete_},
      {"a RENAME blurdybloop sarasoop", N::rename}, {"a RENAME foo zowie", N::rename},
      {"a SUBSCRIBE #news.comp.mail.mime", N::subscribe}, {"a UNSUBSCRIBE #news.comp.mail.mime", N::unsubscribe},
      {"a LIST \"\" \"\"", N::list}, {"a LIST /usr/staff/jones \"\"", N::list},
      {"a LIST ~/Mail/ %", N::list}, {"a LIST \"\" *", N::list}, {"a LIST \"\" %", N::list},
      {"a LIST \"\" INBOX*", N::list}, {"a LIST #news.comp.mail.misc \"\"", N::list},
      {"a LIST (SUBSCRIBED) \"\" \"*\"", N::list},
      {"a LIST (SUBSCRIBED RECURSIVEMATCH) \"\" % RETURN (CHILDREN)", N::list},
      {"a LIST (REMOTE) \"\" *", N::list},
      {"a LIST () \"\" %", N::list},
      {"a LIST \"\" (\"foo\" \"foo/*\")", N::list},
      {"a LIST \"\" % RETURN (SUBSCRIBED CHILDREN)", N::list},
      {"a LIST \"\" % RETURN ()", N::list},
      {"a LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))", N::list},
      {"a LIST (SPECIAL-USE) \"\" *", N::list},
      {"a LIST \"\" * RETURN (SPECIAL-USE)", N::list},
      {"a LIST \"\" {5}\r\nfoo/%", N::list},
      {"a LSUB \"#news.\" \"comp.mail.*\"", N::lsub}, {"a LSUB \"\" *", N::lsub},
      {"a NAMESPACE", N::namespace_},
      {"a STATUS blurdybloop (UIDNEXT MESSAGES)", N::status},
      {"a STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE RECENT HIGHESTMODSEQ APPENDLIMIT)",
       N::status},
      {"a APPEND saved-messages (\\Seen) {5}\r\nhello", N::append},
      {"a APPEND saved-messages (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {5}\r\nhello", N::append},
      {"a APPEND saved-messages \" 7-Jul-1996 02:44:25 +0000\" {5+}\r\nhello", N::append},
      {"a APPEND saved-messages {0}\r\n", N::append},
      {"a APPEND saved-messages () {3}\r\nabc", N::append},
      {"a APPEND foo (\\Seen) {3}\r\nabc (\\Draft $Label) {2}\r\nde {1}\r\nf", N::append},
      {"a APPEND foo ~{3}\r\na\0c"s, N::append},
      {"a IDLE", N::idle},
      // 6.4 selected
      {"a CHECK", N::check}, {"a CLOSE", N::close}, {"a UNSELECT", N::unselect}, {"a EXPUNGE", N::expunge},
      {"a UID EXPUNGE 3000:3002", N::uid_expunge},
      {"a SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"", N::search},
      {"a SEARCH TEXT \"string not in mailbox\"", N::search},
      {"a SEARCH CHARSET UTF-8 TEXT {12}\r\nxxxxxxxxxxxx", N::search},
      {"a SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"", N::search},
      {"a SEARCH RETURN () UNDELETED UNKEYWORD $Junk", N::search},
      {"a UID SEARCH RETURN (SAVE) KEYWORD $Junk", N::uid_search},
      {"a SEARCH RETURN (MIN MAX ALL COUNT SAVE) 1:*", N::search},
      {"a UID SEARCH 1:100 UID $", N::uid_search}, {"a SEARCH $", N::search},
      {"a SEARCH OR (FROM x TO y) (NOT SEEN)", N::search},
      {"a SEARCH OR OR ANSWERED DELETED NOT OR DRAFT FLAGGED", N::search},
      {"a SEARCH ((((SEEN))))", N::search},
      {"a SEARCH HEADER Message-ID \"<x@y>\"", N::search},
      {"a SEARCH HEADER \"X-Spam\" \"\"", N::search},
      {"a SEARCH LARGER 10000 SMALLER 20000000", N::search},
      {"a SEARCH BEFORE \"1-Feb-1994\" ON 31-Dec-1999 SENTBEFORE 1-Jan-2000 SENTON 29-Feb-2000 SENTSINCE "
       "01-Mar-2001",
       N::search},
      {"a SEARCH ALL ANSWERED DELETED DRAFT FLAGGED SEEN RECENT NEW OLD UNANSWERED UNDELETED UNDRAFT "
       "UNFLAGGED UNSEEN",
       N::search},
      {"a SEARCH BCC a BODY b CC c FROM d SUBJECT e TEXT f TO g", N::search},
      {"a SEARCH MODSEQ 620162338", N::search},
      {"a SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338", N::search},
      {"a SEARCH MODSEQ 0", N::search},
      {"a SEARCH 2,4:7,9,12:*", N::search},
      {"a SEARCH UID 1:* NOT DELETED", N::search},
      {"a SEARCH charset \"us-ascii\" all", N::search},
      {"a SORT (SUBJECT) UTF-8 SINCE 1-Feb-1994", N::sort},
      {"a SORT (DATE REVERSE SUBJECT) UTF-8 ALL", N::sort},
      {"a UID SORT (REVERSE ARRIVAL CC FROM SIZE TO DISPLAYFROM DISPLAYTO) US-ASCII UNSEEN", N::uid_sort},
      {"a SORT RETURN (MIN MAX) (DATE) UTF-8 ALL", N::sort},
      {"a THREAD ORDEREDSUBJECT UTF-8 SINCE 5-MAR-2000", N::thread},
      {"a UID THREAD REFERENCES US-ASCII TEXT \"gewp\"", N::uid_thread},
      {"a FETCH 1 ALL", N::fetch}, {"a FETCH 2:4 FAST", N::fetch}, {"a FETCH 1 FULL", N::fetch},
      {"a FETCH 1 (FLAGS)", N::fetch}, {"a FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])", N::fetch},
      {"a FETCH 1 body[]", N::fetch},
      {"a FETCH 1 (BODY.PEEK[1.2.HEADER.FIELDS.NOT (Received X-Y)]<0.2048>)", N::fetch},
      {"a FETCH 1 (BODY[1.2.MIME] BODY[1.TEXT] BODY[HEADER] BODY[TEXT]<10.20> BODY[3])", N::fetch},
      {"a FETCH 1:* (ENVELOPE INTERNALDATE RFC822.SIZE BODY BODYSTRUCTURE UID MODSEQ)", N::fetch},
      {"a FETCH 1 (RFC822 RFC822.HEADER RFC822.TEXT)", N::fetch},
      {"a FETCH 1 (BINARY[1] BINARY.PEEK[1.2]<0.100> BINARY.SIZE[2] BINARY[])", N::fetch},
      {"a FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)", N::fetch},
      {"a UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)", N::uid_fetch},
      {"a UID FETCH $ (UID FLAGS)", N::uid_fetch},
      {"a STORE 2:4 +FLAGS (\\Deleted)", N::store}, {"a STORE 2:4 -FLAGS.SILENT (\\Deleted)", N::store},
      {"a STORE 2:4 FLAGS \\Seen $Forwarded", N::store}, {"a STORE 1 FLAGS ()", N::store},
      {"a STORE 1:* (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)", N::store},
      {"a UID STORE 4827313:4828442 +FLAGS.SILENT (\\Seen)", N::uid_store},
      {"a COPY 2:4 MEETING", N::copy}, {"a MOVE 1:3 Trash", N::move},
      {"a UID COPY 4827313:4828442 \"Archive 2024\"", N::uid_copy}, {"a UID MOVE 42 foo", N::uid_move},
      {"a uid move 42 foo", N::uid_move},
      // RFC 9208, 2971, 4978
      {"a GETQUOTA \"\"", N::getquota}, {"a GETQUOTAROOT INBOX", N::getquotaroot},
      {"a SETQUOTA \"\" (STORAGE 512)", N::setquota}, {"a SETQUOTA \"\" ()", N::setquota},
      {"a SETQUOTA \"\" (STORAGE 512 MESSAGE 1000)", N::setquota},
      {"a ID NIL", N::id}, {"a ID (\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" NIL)", N::id},
      {"a ID ()", N::id},
      {"a COMPRESS DEFLATE", N::compress},
      // UTF-8 when enabled (RFC 6855)
      {"a SELECT \"Entw\xC3\xBC" "rfe\"", N::select, true},
      {"a LOGIN \"j\xC3\xB6rg\" x", N::login, true},
      {"a CREATE \"\xE2\x82\xAC &\"", N::create, true},
      // tags
      {"a SELECT INBOX", N::select},
  };
}

struct RejectRow {
  std::string input;
  Errc code = Errc::invalid_syntax;
  std::string tag = "a";
  bool is_utf8_enabled = false;
};

std::vector<RejectRow> reject_rows() {
  return {
      {"", Errc::invalid_syntax, ""}, {"a", Errc::invalid_syntax}, {"a ", Errc::invalid_syntax},
      {"+ NOOP", Errc::invalid_syntax, ""}, {"a+b NOOP", Errc::invalid_syntax, ""},
      {"* NOOP", Errc::invalid_syntax, ""}, {"(a NOOP", Errc::invalid_syntax, ""},
      {"a  NOOP"}, {"a FOO"}, {"a XYZZY 1 2"}, {"a UID"}, {"a UID NOOP"}, {"a UID LOGIN a b"},
      {"a NOOP x"}, {"a NOOP "}, {"a NOOP\r\n"}, {"a UID FETCH 1,3:5,$ UID"}, {"a CAPABILITY\r\nx"},
      {"a LOGIN"}, {"a LOGIN x"}, {"a LOGIN x "}, {"a LOGIN x y z"}, {"a LOGIN \"x y"}, {"a LOGIN \"x\\y\" z"},
      {"a LOGIN x{3}\r\nabc"}, {"a LOGIN {3}\r\nab"}, {"a LOGIN {3}ab"}, {"a LOGIN {3}\r\na\0c z"s},
      {"a LOGIN (x) y"}, {"a LOGIN x% y"}, {"a LOGIN j\xC3\xB6rg x"}, {"a LOGIN \"j\xC3\xB6rg\" x"},
      {"a LOGIN \"\xC3\" x", Errc::invalid_syntax, "a", true},
      {"a LOGIN {99999999999999999999}\r\nx y", Errc::too_big},
      {"a AUTHENTICATE"}, {"a AUTHENTICATE PLAIN abc"}, {"a AUTHENTICATE PLAIN a=bc"},
      {"a AUTHENTICATE PLAIN abc= x"},
      {"a ENABLE"}, {"a ENABLE "},
      {"a SELECT"}, {"a SELECT INBOX ()"}, {"a SELECT INBOX (FOO)"}, {"a SELECT INBOX (CONDSTORE CONDSTORE)"},
      {"a SELECT INBOX (QRESYNC)"}, {"a SELECT INBOX (QRESYNC (0 1))"}, {"a SELECT INBOX (QRESYNC (1 0))"},
      {"a SELECT INBOX (QRESYNC (1 2 1:*))"}, {"a SELECT INBOX (QRESYNC (1 2 (1:2)))"},
      {"a SELECT INBOX (QRESYNC (1 2)"}, {"a SELECT INBOX (CONDSTORE"},
      {"a SELECT \"Entw\xC3\xBC" "rfe\""}, {"a SELECT {3}\r\n\xC3\xBCx"},
      {"a SELECT \"\xC3\x28\"", Errc::invalid_syntax, "a", true},
      {"a CREATE"}, {"a CREATE x (USE)"}, {"a CREATE x (USE (Drafts))"}, {"a CREATE x (FOO (\\Drafts))"},
      {"a DELETE"}, {"a DELETE a b"}, {"a RENAME a"}, {"a RENAME a b c"},
      {"a LIST"}, {"a LIST \"\""}, {"a LIST \"\" % RETURN"}, {"a LIST \"\" % RETURN (FOO)"},
      {"a LIST (FOO) \"\" %"}, {"a LIST (RECURSIVEMATCH) \"\" %"}, {"a LIST \"\" ()"}, {"a LIST \"\" (a"},
      {"a LIST \"\" % FOO"}, {"a LIST \"\" % RETURN (STATUS ())"}, {"a LIST \"\" % RETURN (STATUS (FOO))"},
      {"a LSUB \"\""}, {"a LSUB \"\" % x"},
      {"a STATUS INBOX"}, {"a STATUS INBOX ()"}, {"a STATUS INBOX (FOO)"}, {"a STATUS INBOX (MESSAGES"},
      {"a STATUS INBOX MESSAGES"},
      {"a APPEND"}, {"a APPEND x"}, {"a APPEND x (\\Seen)"}, {"a APPEND x \"hello\" {1}\r\na"},
      {"a APPEND x \"31-Apr-1996 02:44:25 -0700\" {1}\r\na"}, {"a APPEND x (\\Seen {1}\r\na"},
      {"a APPEND x {1}\r\na "}, {"a APPEND x {1}\r\na x"}, {"a APPEND x {3}\r\na\0c"s},
      {"a APPEND x {5}\r\nab"}, {"a APPEND x UTF8 {1}\r\na"}, {"a APPEND x UTF8 ({1}\r\na)"},
      {"a APPEND x UTF8 (~{1}\r\na"}, {"a APPEND x UTF8 ~{1}\r\na"},
      {"a SEARCH"}, {"a SEARCH "}, {"a SEARCH FOO"}, {"a SEARCH (SEEN"}, {"a SEARCH SEEN)"}, {"a SEARCH ()"},
      {"a SEARCH NOT"}, {"a SEARCH OR SEEN"}, {"a SEARCH SINCE"}, {"a SEARCH SINCE 32-Jan-2000"},
      {"a SEARCH SINCE 1-Foo-2000"}, {"a SEARCH SINCE 1-Jan-20"}, {"a SEARCH SINCE 29-Feb-1900"},
      {"a SEARCH LARGER x"}, {"a SEARCH LARGER 99999999999999999999", Errc::too_big}, {"a SEARCH UID"},
      {"a SEARCH UID x"}, {"a SEARCH 0"}, {"a SEARCH 1:"}, {"a SEARCH *:*x"}, {"a SEARCH 1,,2"},
      {"a SEARCH 1:2:3"}, {"a SEARCH $,1"}, {"a SEARCH 4294967296"}, {"a SEARCH HEADER x"},
      {"a SEARCH RETURN (FOO) ALL"}, {"a SEARCH RETURN ALL"}, {"a SEARCH CHARSET"}, {"a SEARCH CHARSET x"},
      {"a SEARCH KEYWORD \\Seen"}, {"a SEARCH SUBJECT \xC3\xBC"}, {"a SEARCH MODSEQ"},
      {"a SEARCH MODSEQ \"/foo\" all 1"}, {"a SEARCH MODSEQ \"/flags/x\" none 1"},
      {"a SEARCH " + std::string(65, '(') + "ALL" + std::string(65, ')'), Errc::too_big},
      {"a SEARCH " + std::string(200000, '('), Errc::too_big},
      {[] {
         std::string s = "a SEARCH";
         for (int i = 0; i < 70; ++i) s += " NOT";
         return s + " ALL";
       }(),
       Errc::too_big},
      {[] {
         std::string s = "a SEARCH";
         for (int i = 0; i < 70; ++i) s += " OR ALL";
         return s + " ALL";
       }(),
       Errc::too_big},
      {"a SORT"}, {"a SORT () UTF-8 ALL"}, {"a SORT (FOO) UTF-8 ALL"}, {"a SORT (DATE) ALL"},
      {"a SORT (DATE) UTF-8"}, {"a SORT (REVERSE) UTF-8 ALL"}, {"a SORT DATE UTF-8 ALL"},
      {"a THREAD"}, {"a THREAD FOO UTF-8 ALL"}, {"a THREAD REFERENCES UTF-8"}, {"a THREAD REFERENCES"},
      {"a FETCH"}, {"a FETCH 1"}, {"a FETCH 1 "}, {"a FETCH 0 FLAGS"}, {"a FETCH 1: FLAGS"},
      {"a FETCH *:*x FLAGS"}, {"a FETCH x FLAGS"}, {"a FETCH 1 FOO"}, {"a FETCH 1 ()"}, {"a FETCH 1 (FLAGS"},
      {"a FETCH 1 FLAGS)"}, {"a FETCH 1 (ALL)"}, {"a FETCH 1 BODY["}, {"a FETCH 1 BODY[FOO]"},
      {"a FETCH 1 BODY[0]"}, {"a FETCH 1 BODY[1.]"}, {"a FETCH 1 BODY[MIME]"}, {"a FETCH 1 BODY[1.FOO]"},
      {"a FETCH 1 BODY[HEADER.FIELDS]"}, {"a FETCH 1 BODY[HEADER.FIELDS ()]"}, {"a FETCH 1 BODY[]<0>"},
      {"a FETCH 1 BODY[]<0.0>"}, {"a FETCH 1 BODY[]<x.1>"}, {"a FETCH 1 BODY.PEEK"},
      {"a FETCH 1 BINARY[HEADER]"}, {"a FETCH 1 BINARY.SIZE[1]<0.1>"}, {"a FETCH 1 RFC822.SIZE[]"},
      {"a FETCH 1 FLAGS (CHANGEDSINCE)"}, {"a FETCH 1 FLAGS (CHANGEDSINCE 0)"}, {"a FETCH 1 FLAGS (FOO)"},
      {"a FETCH 1 FLAGS (CHANGEDSINCE 1 VANISHED)"}, {"a UID FETCH 1 FLAGS (VANISHED)"},
      {"a FETCH 1 FLAGS ()"},
      {"a STORE"}, {"a STORE 1"}, {"a STORE 1 FLAGS"}, {"a STORE 1 FLAGS "}, {"a STORE 1 *FLAGS (\\Seen)"},
      {"a STORE 1 +FLAGS.LOUD (\\Seen)"}, {"a STORE 1 +FLAGS (\\Seen"}, {"a STORE 1 (UNCHANGEDSINCE) FLAGS x"},
      {"a STORE 1 (FOO 1) FLAGS x"}, {"a STORE 1 FLAGS (\\*)"}, {"a STORE 1 FLAGS (a) b"},
      {"a COPY"}, {"a COPY 1"}, {"a COPY 1 "}, {"a COPY 0 x"}, {"a MOVE 1:x y"}, {"a UID EXPUNGE"},
      {"a UID EXPUNGE x"}, {"a UID EXPUNGE 1 2"},
      {"a GETQUOTA"}, {"a SETQUOTA x"}, {"a SETQUOTA x (STORAGE)"}, {"a SETQUOTA x (STORAGE x)"},
      {"a ID"}, {"a ID (\"a\")"}, {"a ID (\"a\" \"b\""}, {"a ID (a b)"},
      {"a ID (\"" + std::string(31, 'x') + "\" NIL)", Errc::too_big},
      {[] {
         std::string s = "a ID (";
         for (int i = 0; i < 31; ++i) s += (i ? " \"f" : "\"f") + std::to_string(i) + "\" NIL";
         return s + ")";
       }(),
       Errc::too_big},
      {"a COMPRESS"}, {"a COMPRESS DEFLATE x"},
      {"a SELECT \x01x"}, {"a LOGIN x\x7f y"}, {"a FETCH 1 FL\xC3\x84GS"}, {"a N\xC3\x96OP"},
  };
}

class AcceptTest : public ::testing::TestWithParam<AcceptRow> {};
class RejectTest : public ::testing::TestWithParam<RejectRow> {};

TEST_P(AcceptTest, Parses) {
  const AcceptRow& row = GetParam();
  ParseOptions options;
  options.is_utf8_enabled = row.is_utf8_enabled;
  auto command = parse_command(row.input, options);
  ASSERT_TRUE(command.has_value()) << row.input << " -> " << command.error().detail;
  EXPECT_EQ(command->tag, "a");
  EXPECT_EQ(command->name, row.name) << row.input;
}

TEST_P(RejectTest, FailsWithTag) {
  const RejectRow& row = GetParam();
  ParseOptions options;
  options.is_utf8_enabled = row.is_utf8_enabled;
  auto command = parse_command(row.input, options);
  ASSERT_FALSE(command.has_value()) << row.input.substr(0, 200);
  EXPECT_EQ(command.error().code, row.code) << row.input.substr(0, 200) << " -> " << command.error().detail;
  EXPECT_FALSE(command.error().detail.empty());
  EXPECT_EQ(extract_tag(row.input), row.tag);
}

INSTANTIATE_TEST_SUITE_P(Rows, AcceptTest, ::testing::ValuesIn(accept_rows()));
INSTANTIATE_TEST_SUITE_P(Rows, RejectTest, ::testing::ValuesIn(reject_rows()));

TEST(ParseCommand, FramedCommandRoundTrip) {
  CommandFramer framer;
  framer.feed("x1 APPEND INBOX {3+}\r\nabc\r\n");
  const FrameEvent event = framer.next();
  ASSERT_EQ(event.kind, FrameEventKind::command_complete);
  auto command = parse_command(event.command);
  ASSERT_TRUE(command.has_value()) << command.error().detail;
  EXPECT_EQ(command->tag, "x1");
  EXPECT_EQ(std::get<AppendArgs>(command->args).messages.at(0).content, "abc");
}

TEST(ParseCommand, UnknownCommandKeepsTagForBad) {
  CommandFramer framer;
  framer.feed("tag7 FROBNICATE now\r\n");
  const FrameEvent event = framer.next();
  ASSERT_EQ(event.kind, FrameEventKind::command_complete);
  auto command = parse_command(event.command);
  ASSERT_FALSE(command.has_value());
  EXPECT_EQ(command.error().code, Errc::invalid_syntax);
  EXPECT_EQ(event.command.tag, "tag7");
}

TEST(ParseCommand, IdleDoneAndAuthenticateResponses) {
  EXPECT_TRUE(is_idle_done("DONE"));
  EXPECT_TRUE(is_idle_done("done\r\n"));
  EXPECT_FALSE(is_idle_done("DONE x"));
  EXPECT_FALSE(is_idle_done("a DONE"));
  auto cancel = parse_authenticate_response("*");
  ASSERT_TRUE(cancel.has_value());
  EXPECT_FALSE(cancel->has_value());
  auto response = parse_authenticate_response("dGVzdA==");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(**response, "dGVzdA==");
  auto empty = parse_authenticate_response("");
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(**empty, "");
  EXPECT_FALSE(parse_authenticate_response("dGVzd").has_value());
  EXPECT_FALSE(parse_authenticate_response("dG=zdA==").has_value());
  EXPECT_FALSE(parse_authenticate_response("dGVz dA==").has_value());
}

TEST(ParseCommand, CommandNameText) {
  EXPECT_EQ(command_name_text(CommandName::fetch), "FETCH");
  EXPECT_EQ(command_name_text(CommandName::uid_move), "UID MOVE");
  EXPECT_EQ(command_name_text(CommandName::delete_), "DELETE");
}

}  // namespace
}  // namespace bulwark::parse::imap

// parse_command: the argument values of representative commands (RFC 9051 6.x examples and extensions).
#include "parse/imap/command_parser.h"

#include <gtest/gtest.h>

namespace bulwark::parse::imap {
namespace {

template <class Args>
Args args_of(std::string_view text, ParseOptions options = {}) {
  auto command = parse_command(text, options);
  EXPECT_TRUE(command.has_value()) << text << " -> " << (command ? "" : command.error().detail);
  if (!command || !std::holds_alternative<Args>(command->args)) {
    ADD_FAILURE() << "wrong argument type for " << text;
    return Args{};
  }
  return std::get<Args>(command->args);
}

TEST(ParseValues, Authenticate) {
  auto a = args_of<AuthenticateArgs>("t AUTHENTICATE plain dGVzdA==");
  EXPECT_EQ(a.mechanism, "PLAIN");
  EXPECT_EQ(a.initial_response, "dGVzdA==");
  EXPECT_EQ(args_of<AuthenticateArgs>("t AUTHENTICATE PLAIN =").initial_response, "");
  EXPECT_FALSE(args_of<AuthenticateArgs>("t AUTHENTICATE GSSAPI").initial_response.has_value());
}

TEST(ParseValues, LoginStrings) {
  auto a = args_of<LoginArgs>("t LOGIN \"fred \\\\ \\\"x\\\"\" {3+}\r\na b");
  EXPECT_EQ(a.userid, "fred \\ \"x\"");
  EXPECT_EQ(a.password, "a b");
  auto b = args_of<LoginArgs>("t LOGIN \"\" \"\"");
  EXPECT_EQ(b.userid, "");
}

TEST(ParseValues, Enable) {
  EXPECT_EQ(args_of<EnableArgs>("t ENABLE utf8=accept CONDSTORE").capabilities,
            (std::vector<std::string>{"UTF8=ACCEPT", "CONDSTORE"}));
}

TEST(ParseValues, SelectQresync) {
  auto a = args_of<SelectArgs>(
      "t SELECT inbox (CONDSTORE QRESYNC (67890007 90060115194045000 41:211,214:541 (1:20 1:30)))");
  EXPECT_EQ(a.mailbox, "INBOX");
  EXPECT_TRUE(a.is_condstore);
  ASSERT_TRUE(a.qresync.has_value());
  EXPECT_EQ(a.qresync->uidvalidity, 67890007u);
  EXPECT_EQ(a.qresync->modseq, 90060115194045000u);
  EXPECT_EQ(a.qresync->known_uids->to_string(), "41:211,214:541");
  EXPECT_EQ(a.qresync->known_sequence_numbers->to_string(), "1:20");
  EXPECT_EQ(a.qresync->known_sequence_uids->to_string(), "1:30");
}

TEST(ParseValues, InboxNormalization) {
  EXPECT_EQ(args_of<MailboxArgs>("t DELETE iNbOx/Sub").mailbox, "INBOX/Sub");
  EXPECT_EQ(args_of<MailboxArgs>("t DELETE inboxes").mailbox, "inboxes");
  ParseOptions dot;
  dot.hierarchy_delimiter = '.';
  EXPECT_EQ(args_of<MailboxArgs>("t DELETE inbox.Sub", dot).mailbox, "INBOX.Sub");
  EXPECT_EQ(args_of<RenameArgs>("t RENAME \"inbox\" {5}\r\nINBOX").to, "INBOX");
}

TEST(ParseValues, CreateUse) {
  auto a = args_of<CreateArgs>("t CREATE MyDrafts (USE (\\Drafts \\Sent))");
  EXPECT_EQ(a.mailbox, "MyDrafts");
  EXPECT_EQ(a.special_use, (std::vector<std::string>{"\\Drafts", "\\Sent"}));
}

TEST(ParseValues, ListExtended) {
  auto a = args_of<ListArgs>(
      "t LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (\"foo\" %) RETURN (CHILDREN STATUS (MESSAGES UIDNEXT))");
  EXPECT_TRUE(a.is_extended);
  EXPECT_TRUE(a.select_subscribed);
  EXPECT_TRUE(a.select_recursive_match);
  EXPECT_EQ(a.reference, "");
  EXPECT_EQ(a.patterns, (std::vector<std::string>{"foo", "%"}));
  EXPECT_TRUE(a.return_children);
  ASSERT_TRUE(a.return_status.has_value());
  EXPECT_EQ(*a.return_status, (std::vector<StatusItem>{StatusItem::messages, StatusItem::uidnext}));
  auto b = args_of<ListArgs>("t LIST ~/Mail/ %");
  EXPECT_FALSE(b.is_extended);
  EXPECT_EQ(b.reference, "~/Mail/");
}

TEST(ParseValues, Status) {
  EXPECT_EQ(args_of<StatusArgs>("t STATUS blurdybloop (UIDNEXT MESSAGES size)").items,
            (std::vector<StatusItem>{StatusItem::uidnext, StatusItem::messages, StatusItem::size}));
}

TEST(ParseValues, MultiAppend) {
  std::string text = "t APPEND foo (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {3}\r\nabc ~{2+}\r\nd";
  text += '\0';
  text += " (\\Draft) {0}\r\n";
  auto b = args_of<AppendArgs>(text);
  ASSERT_EQ(b.messages.size(), 3u);
  EXPECT_EQ(b.messages[0].flags, (std::vector<std::string>{"\\Seen"}));
  ASSERT_TRUE(b.messages[0].internal_date.has_value());
  EXPECT_EQ(b.messages[0].internal_date->zone_minutes, -420);
  EXPECT_EQ(b.messages[0].internal_date->date, (Date{1996, 7, 17}));
  EXPECT_EQ(b.messages[0].content, "abc");
  EXPECT_TRUE(b.messages[1].is_literal8);
  EXPECT_EQ(b.messages[1].content, std::string("d\0", 2));
  EXPECT_EQ(b.messages[2].flags, (std::vector<std::string>{"\\Draft"}));
  EXPECT_EQ(b.messages[2].content, "");
}

// RFC 6855 4: UTF8 (literal8) append data.
TEST(ParseValues, AppendUtf8Data) {
  auto a = args_of<AppendArgs>("t APPEND foo (\\Seen) UTF8 (~{3+}\r\nabc) UTF8 (~{1}\r\nd)");
  ASSERT_EQ(a.messages.size(), 2u);
  EXPECT_EQ(a.messages[0].content, "abc");
  EXPECT_TRUE(a.messages[0].is_literal8);
  EXPECT_EQ(a.messages[1].content, "d");
}

TEST(ParseValues, SearchTree) {
  auto a = args_of<SearchArgs>("t SEARCH RETURN (MIN COUNT) CHARSET utf-8 OR (FROM x TO \"y z\") NOT SEEN 2:4");
  ASSERT_TRUE(a.return_options.has_value());
  EXPECT_EQ(*a.return_options, (std::vector<SearchReturnOption>{SearchReturnOption::min, SearchReturnOption::count}));
  EXPECT_EQ(a.charset, "UTF-8");
  ASSERT_EQ(a.key.kind, SearchKeyKind::and_all);
  ASSERT_EQ(a.key.children.size(), 2u);
  const SearchKey& or_key = a.key.children[0];
  ASSERT_EQ(or_key.kind, SearchKeyKind::or_either);
  ASSERT_EQ(or_key.children.size(), 2u);
  EXPECT_EQ(or_key.children[0].kind, SearchKeyKind::and_all);
  EXPECT_EQ(or_key.children[0].children[1].text, "y z");
  EXPECT_EQ(or_key.children[1].kind, SearchKeyKind::not_one);
  EXPECT_EQ(or_key.children[1].children[0].kind, SearchKeyKind::seen);
  EXPECT_EQ(a.key.children[1].kind, SearchKeyKind::sequence_set);
  EXPECT_EQ(a.key.children[1].sequence_set.to_string(), "2:4");
}

TEST(ParseValues, SearchLeaves) {
  auto a = args_of<SearchArgs>(
      "t SEARCH HEADER Message-ID <x@y> SINCE 1-Feb-1994 LARGER 4294967296 UID $ MODSEQ \"/flags/\\\\draft\" "
      "priv 5 KEYWORD $Junk");
  EXPECT_FALSE(a.return_options.has_value());
  ASSERT_EQ(a.key.children.size(), 6u);
  EXPECT_EQ(a.key.children[0].header_field, "Message-ID");
  EXPECT_EQ(a.key.children[0].text, "<x@y>");
  EXPECT_EQ(a.key.children[1].date, (Date{1994, 2, 1}));
  EXPECT_EQ(a.key.children[2].number, 4294967296u);
  EXPECT_TRUE(a.key.children[3].sequence_set.is_saved_result());
  EXPECT_EQ(a.key.children[4].modseq_entry_name, "/flags/\\draft");
  EXPECT_EQ(a.key.children[4].modseq_entry_type, ModseqEntryType::private_);
  EXPECT_EQ(a.key.children[4].number, 5u);
  EXPECT_EQ(a.key.children[5].text, "$Junk");
  EXPECT_EQ(args_of<SearchArgs>("t SEARCH RETURN () ALL").return_options->size(), 0u);
}

TEST(ParseValues, SortAndThread) {
  auto a = args_of<SortArgs>("t UID SORT (REVERSE DATE SUBJECT) utf-8 UNSEEN");
  ASSERT_EQ(a.criteria.size(), 2u);
  EXPECT_TRUE(a.criteria[0].is_reverse);
  EXPECT_EQ(a.criteria[0].key, SortKey::date);
  EXPECT_FALSE(a.criteria[1].is_reverse);
  EXPECT_EQ(a.charset, "UTF-8");
  EXPECT_EQ(a.key.children.at(0).kind, SearchKeyKind::unseen);
  auto t = args_of<ThreadArgs>("t THREAD ORDEREDSUBJECT US-ASCII ALL");
  EXPECT_EQ(t.algorithm, ThreadAlgorithm::orderedsubject);
}

TEST(ParseValues, FetchMacrosAndSections) {
  EXPECT_EQ(args_of<FetchArgs>("t FETCH 1 ALL").items.size(), 4u);
  EXPECT_EQ(args_of<FetchArgs>("t FETCH 1 FAST").items.size(), 3u);
  EXPECT_EQ(args_of<FetchArgs>("t FETCH 1 FULL").items.back().attribute, FetchAttribute::body);
  auto a = args_of<FetchArgs>(
      "t UID FETCH 1:* (BODY.PEEK[1.2.HEADER.FIELDS.NOT (Received X)]<5.10> BINARY.SIZE[3] BODY[] BODY) "
      "(CHANGEDSINCE 7 VANISHED)");
  EXPECT_EQ(a.sequence_set.to_string(), "1:*");
  ASSERT_EQ(a.items.size(), 4u);
  EXPECT_EQ(a.items[0].attribute, FetchAttribute::body_peek);
  EXPECT_EQ(a.items[0].section.part, (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(a.items[0].section.text, SectionText::header_fields_not);
  EXPECT_EQ(a.items[0].section.header_fields, (std::vector<std::string>{"Received", "X"}));
  EXPECT_EQ(a.items[0].partial, (Partial{5, 10}));
  EXPECT_EQ(a.items[1].attribute, FetchAttribute::binary_size);
  EXPECT_EQ(a.items[1].section.part, (std::vector<std::uint32_t>{3}));
  EXPECT_EQ(a.items[2].attribute, FetchAttribute::body_section);
  EXPECT_TRUE(a.items[2].section.part.empty());
  EXPECT_EQ(a.items[3].attribute, FetchAttribute::body);
  EXPECT_EQ(a.changed_since, 7u);
  EXPECT_TRUE(a.is_vanished);
  auto m = args_of<FetchArgs>("t FETCH 1 BODY[2.MIME]");
  EXPECT_EQ(m.items[0].section.text, SectionText::mime);
}

TEST(ParseValues, Store) {
  auto a = args_of<StoreArgs>("t STORE 1:* (UNCHANGEDSINCE 0) -FLAGS.SILENT (\\Deleted $x)");
  EXPECT_EQ(a.mode, StoreMode::remove);
  EXPECT_TRUE(a.is_silent);
  EXPECT_EQ(a.unchanged_since, 0u);
  EXPECT_EQ(a.flags, (std::vector<std::string>{"\\Deleted", "$x"}));
  auto b = args_of<StoreArgs>("t STORE 2 flags \\Seen");
  EXPECT_EQ(b.mode, StoreMode::replace);
  EXPECT_FALSE(b.is_silent);
  EXPECT_EQ(args_of<StoreArgs>("t STORE 2 +FLAGS x").mode, StoreMode::add);
}

TEST(ParseValues, CopyMoveExpungeQuotaIdCompress) {
  auto c = args_of<CopyArgs>("t UID MOVE 1:3,7 \"Sent Items\"");
  EXPECT_EQ(c.sequence_set.to_string(), "1:3,7");
  EXPECT_EQ(c.mailbox, "Sent Items");
  EXPECT_EQ(args_of<UidExpungeArgs>("t UID EXPUNGE 3000:3002").sequence_set.to_string(), "3000:3002");
  auto q = args_of<SetQuotaArgs>("t SETQUOTA \"\" (storage 512 MESSAGE 1000)");
  ASSERT_EQ(q.limits.size(), 2u);
  EXPECT_EQ(q.limits[0].first, "STORAGE");
  EXPECT_EQ(q.limits[1].second, 1000u);
  auto id = args_of<IdArgs>("t ID (\"name\" \"x\" \"os\" NIL)");
  ASSERT_TRUE(id.parameters.has_value());
  EXPECT_EQ(id.parameters->at(0).second, "x");
  EXPECT_FALSE(id.parameters->at(1).second.has_value());
  EXPECT_FALSE(args_of<IdArgs>("t ID nil").parameters.has_value());
  EXPECT_EQ(args_of<CompressArgs>("t COMPRESS deflate").mechanism, "DEFLATE");
}

TEST(ParseValues, Utf8Mailbox) {
  ParseOptions utf8;
  utf8.is_utf8_enabled = true;
  EXPECT_EQ(args_of<SelectArgs>("t SELECT \"Entw\xC3\xBC" "rfe\"", utf8).mailbox, "Entw\xC3\xBC" "rfe");
  EXPECT_EQ(args_of<SelectArgs>("t SELECT Entw&APw-rfe").mailbox, "Entw&APw-rfe");
}

}  // namespace
}  // namespace bulwark::parse::imap

// RFC 5256 THREAD algorithms (ORDEREDSUBJECT, REFERENCES) and the thread-list wire form.
#include "domain/mail/thread.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace bulwark::domain::mail {
namespace {

struct Msg {
  std::uint32_t number;
  std::int64_t date;
  std::string subject;
  std::string id;
  std::vector<std::string> references;
};

std::vector<ThreadMessage> input(const std::vector<Msg>& rows) {
  std::vector<ThreadMessage> out;
  for (const auto& row : rows) {
    ThreadMessage m;
    m.number = row.number;
    m.sent_date = row.date;
    m.subject = extract_base_subject(row.subject);
    m.message_id = row.id;
    m.references = row.references;
    out.push_back(std::move(m));
  }
  return out;
}

std::string references(const std::vector<Msg>& rows) { return format_thread_list(thread_references(input(rows))); }
std::string ordered(const std::vector<Msg>& rows) { return format_thread_list(thread_ordered_subject(input(rows))); }

TEST(ThreadFormatTest, FlatChainsAndNesting) {
  ThreadForest forest;
  // 3 -> 6 -> {4 -> 23, 44 -> 7 -> 96}; and a dummy over 1 and 2 (the RFC 5256 4 examples).
  forest.nodes = {{23, {}}, {4, {0}}, {96, {}}, {7, {2}}, {44, {3}}, {6, {1, 4}}, {3, {5}},
                  {1, {}},  {2, {}},  {0, {7, 8}}};
  forest.roots = {6, 9};
  EXPECT_EQ(format_thread_list(forest), "(3 6 (4 23)(44 7 96))((1)(2))");
  EXPECT_EQ(format_thread_list(ThreadForest{}), "");
}

TEST(ThreadOrderedSubjectTest, GroupsBySubjectFirstMessageIsParent) {
  EXPECT_EQ(ordered({{1, 100, "Plans", "", {}},
                     {2, 50, "Other", "", {}},
                     {3, 300, "Re: plans", "", {}},
                     {4, 200, "[list] PLANS", "", {}},
                     {5, 10, "Re: Other", "", {}},
                     {6, 400, "Lonely", "", {}}}),
            // threads by their first message's date: Other(5@10 -> 2@50), Plans(1@100 -> 4, 3), Lonely
            "(5 2)(1 (4)(3))(6)");
}

TEST(ThreadOrderedSubjectTest, EqualDatesKeepMessageOrder) {
  EXPECT_EQ(ordered({{1, 5, "a", "", {}}, {2, 5, "a", "", {}}, {3, 5, "a", "", {}}}), "(1 (2)(3))");
  EXPECT_EQ(ordered({}), "");
}

TEST(ThreadReferencesTest, ChainsAndBranches) {
  EXPECT_EQ(references({{1, 10, "Plans", "a@x", {}},
                        {2, 20, "Re: Plans", "b@x", {"a@x"}},
                        {3, 30, "Re: Plans", "c@x", {"a@x", "b@x"}},
                        {4, 25, "Re: Plans", "d@x", {"a@x"}},
                        {5, 5, "Unrelated", "e@x", {}}}),
            "(5)(1 (2 3)(4))");
}

TEST(ThreadReferencesTest, MissingParentBecomesDummyOnlyWhenSeveralChildren) {
  // Both reply to a message that is not in the mailbox: a dummy root holds them.
  EXPECT_EQ(references({{1, 10, "Re: x", "b@x", {"gone@x"}}, {2, 20, "Re: x", "c@x", {"gone@x"}}}), "((1)(2))");
  // One child of a missing parent is promoted to the top.
  EXPECT_EQ(references({{1, 10, "Re: y", "b@x", {"gone@x"}}, {2, 5, "z", "c@x", {}}}), "(2)(1)");
  // A dummy below the top is spliced out: its children join their grandparent.
  EXPECT_EQ(references({{1, 10, "q", "a@x", {}},
                        {2, 20, "Re: q", "c@x", {"a@x", "gone@x"}},
                        {3, 30, "Re: q", "d@x", {"a@x", "gone@x"}}}),
            "(1 (2)(3))");
}

TEST(ThreadReferencesTest, InReplyToOrderAndLateParent) {
  // The reply arrives first; its parent later takes its place above it.
  EXPECT_EQ(references({{1, 20, "Re: m", "b@x", {"a@x"}}, {2, 10, "m", "a@x", {}}}), "(2 1)");
}

TEST(ThreadReferencesTest, DuplicateAndMissingMessageIds) {
  // The second message with id a@x gets a unique id; the reply links to the first.
  EXPECT_EQ(references({{1, 10, "one", "a@x", {}}, {2, 20, "two", "a@x", {}}, {3, 30, "Re: one", "r@x", {"a@x"}}}),
            "(1 3)(2)");
  EXPECT_EQ(references({{1, 10, "p", "", {}}, {2, 20, "q", "", {}}}), "(1)(2)");
}

TEST(ThreadReferencesTest, LoopsAreNotCreated) {
  // Each claims the other as parent: the second link would make a loop and is not made.
  EXPECT_EQ(references({{1, 10, "a", "a@x", {"b@x"}}, {2, 20, "b", "b@x", {"a@x"}}}), "(2 1)");
  // A message that references itself.
  EXPECT_EQ(references({{1, 10, "s", "s@x", {"s@x"}}}), "(1)");
  // References that contradict an existing chain keep the first links.
  EXPECT_EQ(references({{1, 10, "r", "r@x", {}},
                        {2, 20, "Re: r", "c@x", {"r@x", "m@x"}},
                        {3, 30, "Re: r", "d@x", {"m@x", "r@x"}}}),
            "(1 (2)(3))");
}

TEST(ThreadReferencesTest, SubjectGrouping) {
  // Step 5: top-level threads with one base subject are merged; a reply goes below the original.
  EXPECT_EQ(references({{1, 10, "Hello", "a@x", {}}, {2, 20, "Re: Hello", "b@x", {}}}), "(1 2)");
  // Two non-replies with one subject get a dummy parent.
  EXPECT_EQ(references({{1, 10, "Hello", "a@x", {}}, {2, 20, "hello", "b@x", {}}}), "((1)(2))");
  // The reply came first: the original still becomes the parent (the table prefers non-replies).
  EXPECT_EQ(references({{1, 10, "Re: Hello", "a@x", {}}, {2, 20, "Hello", "b@x", {}}}), "(2 1)");
  // A dummy thread (two replies to a missing message) takes in a same-subject thread as a sibling.
  EXPECT_EQ(references({{1, 10, "Re: x", "b@x", {"gone@x"}},
                        {2, 20, "Re: x", "c@x", {"gone@x"}},
                        {3, 30, "x", "d@x", {}}}),
            "((1)(2)(3))");
  // Empty subjects are never grouped.
  EXPECT_EQ(references({{1, 10, "", "a@x", {}}, {2, 20, "Re:", "b@x", {}}}), "(1)(2)");
}

TEST(ThreadReferencesTest, LongChainNeedsNoStack) {
  std::vector<Msg> rows;
  constexpr std::uint32_t kCount = 100000;
  for (std::uint32_t i = 1; i <= kCount; ++i) {
    Msg m{i, static_cast<std::int64_t>(i), "Re: long", "m" + std::to_string(i) + "@x", {}};
    if (i > 1) m.references.push_back("m" + std::to_string(i - 1) + "@x");
    rows.push_back(std::move(m));
  }
  rows[0].subject = "long";
  const std::string out = references(rows);
  EXPECT_EQ(out.substr(0, 7), "(1 2 3 ");
  EXPECT_EQ(out.back(), ')');
  EXPECT_EQ(std::count(out.begin(), out.end(), '('), 1);
}

TEST(MsgIdTest, Parse) {
  EXPECT_EQ(parse_msg_ids("<a@x> <b@y>\r\n <c@z>"), (std::vector<std::string>{"a@x", "b@y", "c@z"}));
  EXPECT_EQ(parse_msg_ids("Your message of Tue <a@x> (comment)"), std::vector<std::string>{"a@x"});
  EXPECT_TRUE(parse_msg_ids("<no-at> <@x> <a@> <a b@x> <").empty());
  EXPECT_EQ(parse_msg_ids("<a@x><b@x><c@x>", 2), (std::vector<std::string>{"b@x", "c@x"}));
}

}  // namespace
}  // namespace bulwark::domain::mail

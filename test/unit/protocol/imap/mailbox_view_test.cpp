// MailboxView: sequence numbers and the untagged updates other sessions' changes produce (RFC 9051 7.4.1).
#include "protocol/imap/mailbox_view.h"

#include <gtest/gtest.h>

namespace bulwark::protocol::imap {
namespace {

store::MailboxChanges state(std::uint64_t modseq, std::uint32_t messages, std::vector<store::MessageFlags> changed,
                            std::vector<std::uint32_t> expunged = {}) {
  store::MailboxChanges out;
  out.state = store::MailboxState{7, 100, modseq, messages};
  out.changed = std::move(changed);
  out.expunged = std::move(expunged);
  return out;
}

MailboxView three() {
  MailboxView view;
  view.reset(state(10, 3, {{5, 3, {}}, {2, 1, {"\\Seen"}}, {9, 10, {}}}));
  return view;
}

TEST(MailboxViewTest, ResetSortsByUidAndMapsSequenceNumbers) {
  auto view = three();
  EXPECT_EQ(view.exists(), 3u);
  EXPECT_EQ(view.at(1).uid, 2u);
  EXPECT_EQ(view.at(3).uid, 9u);
  EXPECT_EQ(view.seq_of(5), 2u);
  EXPECT_FALSE(view.seq_of(4));
  EXPECT_EQ(view.largest_uid(), 9u);
  EXPECT_EQ(view.uid_validity(), 7u);
  EXPECT_EQ(view.highest_modseq(), 10u);
}

TEST(MailboxViewTest, ApplyReportsExpungesThenExistsThenFlags) {
  auto view = three();
  auto updates = view.apply(state(14, 3, {{9, 12, {"\\Flagged"}}, {11, 13, {}}, {12, 14, {}}}, {2, 5}));
  // uid 2 is seq 1; after it goes, uid 5 is seq 1 too.
  EXPECT_EQ(updates.expunged, (std::vector<std::uint32_t>{1, 1}));
  EXPECT_EQ(updates.expunged_uids, (std::vector<std::uint32_t>{2, 5}));  // for VANISHED (QRESYNC)
  EXPECT_EQ(updates.exists, 3u);
  EXPECT_EQ(updates.flag_changes, (std::vector<std::uint32_t>{1}));
  EXPECT_EQ(view.at(1).flags, (std::vector<std::string>{"\\Flagged"}));
  EXPECT_EQ(view.highest_modseq(), 14u);
  EXPECT_TRUE(view.apply(state(14, 3, {})).empty());
}

TEST(MailboxViewTest, OwnChangesAreNotReportedAgain) {
  auto view = three();
  view.set_flags(store::FlagChange{5, 11, {"\\Deleted"}});
  EXPECT_EQ(view.remove(2), 1u);
  EXPECT_FALSE(view.remove(2));
  auto updates = view.apply(state(12, 2, {{5, 11, {"\\Deleted"}}}, {2}));
  EXPECT_TRUE(updates.empty());
  EXPECT_EQ(view.exists(), 2u);
}

TEST(MailboxViewTest, ResyncFindsUnloggedRemovals) {
  auto view = three();
  auto updates = view.resync(state(11, 2, {{2, 1, {"\\Seen"}}, {9, 10, {"\\Answered"}}}));
  EXPECT_EQ(updates.expunged, (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(updates.expunged_uids, (std::vector<std::uint32_t>{5}));
  EXPECT_FALSE(updates.exists);
  EXPECT_EQ(updates.flag_changes, (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(view.exists(), 2u);
}

TEST(MailboxViewTest, KeywordsAndManyFlagsKeepTheirOrderAndAreStoredOncePerList) {
  MessageTablePool pool;
  MailboxView view(pool);
  const std::vector<std::string> many{"\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft",
                                      "$Forwarded", "$MDNSent", "work", "later", "Zebra"};
  std::vector<store::MessageFlags> all;
  for (std::uint32_t uid = 1; uid <= 1000; ++uid) {
    all.push_back({uid, uid, uid % 3 == 0 ? many : uid % 3 == 1 ? std::vector<std::string>{} : std::vector<std::string>{"$Junk"}});
  }
  view.reset(state(1000, 1000, all));
  EXPECT_EQ(view.at(3).flags, many);
  EXPECT_EQ(view.at(2).flags, (std::vector<std::string>{"$Junk"}));
  EXPECT_TRUE(view.at(1).flags.empty());
  EXPECT_EQ(view.at(999).modseq, 999u);
  EXPECT_EQ(view.table().entries.size(), 1000u);
  EXPECT_EQ(view.table().flag_sets.size(), 3u);  // one copy of each distinct list
  EXPECT_EQ(view.messages()[2].flags, many);
}

TEST(MailboxViewTest, FlagChangesReportOnlyRealDifferences) {
  MessageTablePool pool;
  MailboxView view(pool);
  view.reset(state(10, 3, {{1, 1, {"work"}}, {2, 2, {"work"}}, {3, 3, {}}}));
  // uid 1: same list at a newer modseq (no FETCH); uid 2: a keyword added; uid 3: a list never seen before.
  auto updates = view.apply(state(13, 3, {{1, 11, {"work"}}, {2, 12, {"work", "later"}}, {3, 13, {"\\Seen", "x"}}}));
  EXPECT_EQ(updates.flag_changes, (std::vector<std::uint32_t>{2, 3}));
  EXPECT_EQ(view.at(1).modseq, 11u);
  EXPECT_EQ(view.at(2).flags, (std::vector<std::string>{"work", "later"}));
  EXPECT_EQ(view.at(3).flags, (std::vector<std::string>{"\\Seen", "x"}));
  // Order matters as before: the store's list order is what the view compares.
  updates = view.apply(state(14, 3, {{2, 14, {"later", "work"}}}));
  EXPECT_EQ(updates.flag_changes, (std::vector<std::uint32_t>{2}));
  // Lists nobody uses any more are dropped when the table is published.
  EXPECT_EQ(view.table().flag_sets.size(), 3u);
}

TEST(MailboxViewTest, ViewsWithEqualContentShareOneTableUntilOneWrites) {
  MessageTablePool pool;
  MailboxView a(pool), b(pool);
  a.reset(state(10, 3, {{5, 3, {}}, {2, 1, {"\\Seen"}}, {9, 10, {}}}));
  b.reset(state(10, 3, {{2, 1, {"\\Seen"}}, {5, 3, {}}, {9, 10, {}}}));
  EXPECT_EQ(&a.table(), &b.table());
  EXPECT_EQ(pool.size(), 1u);

  // a's own STORE: a copies, b still sees the old flags.
  a.set_flags(std::vector<store::FlagChange>{{5, 11, {"\\Flagged"}}, {9, 11, {"\\Flagged"}}});
  EXPECT_NE(&a.table(), &b.table());
  EXPECT_TRUE(b.at(2).flags.empty());
  EXPECT_EQ(a.at(2).flags, (std::vector<std::string>{"\\Flagged"}));

  // Both catch up with the store: a reports nothing (its own change), b reports both; then they share again.
  const auto changes = state(11, 3, {{5, 11, {"\\Flagged"}}, {9, 11, {"\\Flagged"}}});
  EXPECT_TRUE(a.apply(changes).empty());
  EXPECT_EQ(b.apply(changes).flag_changes, (std::vector<std::uint32_t>{2, 3}));
  EXPECT_EQ(&a.table(), &b.table());

  // An expunge seen by both, one of them its own.
  EXPECT_EQ(a.remove(2), 1u);
  const auto expunged = state(12, 2, {}, {2});
  EXPECT_TRUE(a.apply(expunged).empty());
  EXPECT_EQ(b.apply(expunged).expunged, (std::vector<std::uint32_t>{1}));
  EXPECT_EQ(&a.table(), &b.table());
  EXPECT_EQ(b.exists(), 2u);
  EXPECT_EQ(b.at(1).uid, 5u);
}

TEST(MailboxViewTest, TablesLiveOnlyWhileAViewUsesThem) {
  MessageTablePool pool;
  {
    MailboxView view(pool);
    view.reset(state(10, 1, {{1, 1, {}}}));
    EXPECT_EQ(pool.size(), 1u);
  }
  EXPECT_EQ(pool.size(), 0u);
}

}  // namespace
}  // namespace bulwark::protocol::imap

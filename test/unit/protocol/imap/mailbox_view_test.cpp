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

}  // namespace
}  // namespace bulwark::protocol::imap

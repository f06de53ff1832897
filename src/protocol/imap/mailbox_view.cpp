#include "protocol/imap/mailbox_view.h"

#include <algorithm>

namespace bulwark::protocol::imap {

void MailboxView::reset(const store::MailboxChanges& all) {
  messages_ = all.changed;
  std::sort(messages_.begin(), messages_.end(), [](const auto& a, const auto& b) { return a.uid < b.uid; });
  highest_modseq_ = all.state.highest_modseq;
  uid_validity_ = all.state.uid_validity;
  uid_next_ = all.state.uid_next;
}

std::optional<std::uint32_t> MailboxView::seq_of(std::uint32_t uid) const {
  auto it = std::lower_bound(messages_.begin(), messages_.end(), uid,
                             [](const store::MessageFlags& m, std::uint32_t u) { return m.uid < u; });
  if (it == messages_.end() || it->uid != uid) return std::nullopt;
  return static_cast<std::uint32_t>(it - messages_.begin()) + 1;
}

std::optional<std::uint32_t> MailboxView::remove(std::uint32_t uid) {
  auto seq = seq_of(uid);
  if (seq) messages_.erase(messages_.begin() + (*seq - 1));
  return seq;
}

void MailboxView::set_flags(const store::FlagChange& change) {
  if (auto seq = seq_of(change.uid)) {
    auto& m = messages_[*seq - 1];
    m.flags = change.flags;
    m.modseq = std::max(m.modseq, change.modseq);
  }
}

ViewUpdates MailboxView::apply(const store::MailboxChanges& changes) {
  ViewUpdates out;
  for (auto uid : changes.expunged) {
    if (auto seq = remove(uid)) {
      out.expunged.push_back(*seq);
      out.expunged_uids.push_back(uid);
    }
  }
  const std::uint32_t before = exists();
  std::vector<std::uint32_t> changed_uids;
  for (const auto& change : changes.changed) {
    if (change.uid > largest_uid()) {
      messages_.push_back(change);
      continue;
    }
    auto seq = seq_of(change.uid);
    if (!seq) continue;  // expunged meanwhile, or never ours
    auto& m = messages_[*seq - 1];
    if (change.modseq <= m.modseq) continue;  // already reported (our own STORE)
    m.modseq = change.modseq;
    if (m.flags != change.flags) {
      m.flags = change.flags;
      changed_uids.push_back(change.uid);
    }
  }
  if (exists() != before) out.exists = exists();
  for (auto uid : changed_uids) {
    if (auto seq = seq_of(uid)) out.flag_changes.push_back(*seq);
  }
  highest_modseq_ = std::max(highest_modseq_, changes.state.highest_modseq);
  uid_next_ = std::max(uid_next_, changes.state.uid_next);
  return out;
}

ViewUpdates MailboxView::resync(const store::MailboxChanges& all) {
  store::MailboxChanges changes;
  changes.state = all.state;
  std::vector<std::uint32_t> present;
  present.reserve(all.changed.size());
  for (const auto& m : all.changed) present.push_back(m.uid);
  std::sort(present.begin(), present.end());
  for (const auto& m : messages_) {
    if (!std::binary_search(present.begin(), present.end(), m.uid)) changes.expunged.push_back(m.uid);
  }
  for (const auto& m : all.changed) {
    auto seq = seq_of(m.uid);
    if (!seq || messages_[*seq - 1].flags != m.flags || m.uid > largest_uid()) changes.changed.push_back(m);
  }
  // Flag differences must be reported even when the modseq did not move past ours.
  for (auto& m : changes.changed) {
    if (auto seq = seq_of(m.uid)) m.modseq = std::max(m.modseq, messages_[*seq - 1].modseq + 1);
  }
  std::sort(changes.changed.begin(), changes.changed.end(), [](const auto& a, const auto& b) { return a.uid < b.uid; });
  return apply(changes);
}

}  // namespace bulwark::protocol::imap

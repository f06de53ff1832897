// MailboxView: one session's view of its selected mailbox (RFC 9051 2.3.1.2 message sequence numbers, 7.4.1
// EXPUNGE, 7.3.1 EXISTS): the UIDs in sequence-number order with their flags and modseq as last reported to
// the client. Other sessions' changes reach the client only through apply(), which the session calls at
// command boundaries; it returns the untagged responses to send, in order. Pure, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/mail_store.h"

namespace bulwark::protocol::imap {

struct ViewUpdates {
  std::vector<std::uint32_t> expunged;      // sequence numbers, each valid at the moment it is sent
  std::vector<std::uint32_t> expunged_uids; // the same messages' uids (VANISHED, RFC 7162 3.2.10)
  std::optional<std::uint32_t> exists;      // the new message count, when it grew
  std::vector<std::uint32_t> flag_changes;  // sequence numbers (after the expunges) whose flags changed
  bool empty() const { return expunged.empty() && !exists && flag_changes.empty(); }
};

class MailboxView {
 public:
  // Starts from the whole mailbox: `all` holds every message (changes_since(0)).
  void reset(const store::MailboxChanges& all);

  std::uint32_t exists() const { return static_cast<std::uint32_t>(messages_.size()); }
  std::uint64_t highest_modseq() const { return highest_modseq_; }
  std::uint32_t uid_validity() const { return uid_validity_; }
  std::uint32_t uid_next() const { return uid_next_; }
  std::uint32_t largest_uid() const { return messages_.empty() ? 0 : messages_.back().uid; }

  // 1-based; seq must be in [1, exists()].
  const store::MessageFlags& at(std::uint32_t seq) const { return messages_[seq - 1]; }
  const std::vector<store::MessageFlags>& messages() const { return messages_; }
  std::optional<std::uint32_t> seq_of(std::uint32_t uid) const;

  // Brings the view up to date with what changed after highest_modseq(): expunges first, then new messages,
  // then flag changes. Own changes already recorded (set_flags, remove) are not reported again.
  ViewUpdates apply(const store::MailboxChanges& changes);
  // Like apply(), from the complete message list: anything in the view but not in `all` is expunged. For when
  // apply() left the count different from the store's (a change the expunge log did not record).
  ViewUpdates resync(const store::MailboxChanges& all);

  // The session's own STORE: record the new flags so the next apply() does not report them again.
  void set_flags(const store::FlagChange& change);
  // The session's own EXPUNGE/MOVE: removes the message; returns the sequence number it had.
  std::optional<std::uint32_t> remove(std::uint32_t uid);

 private:
  std::vector<store::MessageFlags> messages_;  // in uid order
  std::uint64_t highest_modseq_ = 0;
  std::uint32_t uid_validity_ = 0;
  std::uint32_t uid_next_ = 1;
};

}  // namespace bulwark::protocol::imap

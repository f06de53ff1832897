// MailboxView: one session's view of its selected mailbox (RFC 9051 2.3.1.2 message sequence numbers, 7.4.1
// EXPUNGE, 7.3.1 EXISTS): the UIDs in sequence-number order with their flags and modseq as last reported to
// the client. Other sessions' changes reach the client only through apply(), which the session calls at
// command boundaries; it returns the untagged responses to send, in order. Pure, no I/O.
//
// Memory (issue 5, 6(c)): the message list lives in a MessageTable of 16 bytes per message (uid, modseq and an
// index into the table's interned flag sets). Tables are immutable once a view has published them, and
// published through a MessageTablePool that hands out one shared copy per distinct content: every session that
// selected the same mailbox and has seen the same changes shares one table. A session's own STORE or EXPUNGE
// copies the table (copy-on-write) until its next apply() brings it level with the store again, when it is
// shared once more.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
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

// The messages of one view, in uid order. Flag lists are stored once per distinct list (in the order the store
// gave them, so that comparing indices is comparing lists); the indices are canonical (numbered by first use,
// unused lists dropped) whenever a table is published, so equal content means equal tables.
struct MessageTable {
  struct Entry {
    std::uint64_t modseq = 0;
    std::uint32_t uid = 0;
    std::uint32_t flag_set = 0;  // index into flag_sets
    bool operator==(const Entry&) const = default;
  };
  std::vector<Entry> entries;
  std::vector<std::vector<std::string>> flag_sets;
  bool operator==(const MessageTable&) const = default;
};
static_assert(sizeof(MessageTable::Entry) == 16, "a selected message costs 16 bytes per table");

// Hands out one shared table per distinct content. Holds only weak references: a table lives as long as a view
// uses it. Thread-safe (sessions run on several I/O threads).
class MessageTablePool {
 public:
  // The pool the IMAP sessions of this process share. A cache of immutable values, not state: a view that
  // used its own pool would behave the same, only use more memory.
  static MessageTablePool& process_wide();

  // Returns a published table equal to `table`: an existing one, or `table` itself (now registered).
  std::shared_ptr<const MessageTable> intern(std::shared_ptr<const MessageTable> table);
  std::size_t size();  // registered tables still alive (for tests)

 private:
  std::mutex mutex_;
  std::unordered_multimap<std::size_t, std::weak_ptr<const MessageTable>> tables_;  // by content hash
  std::size_t sweep_at_ = 64;
};

// One message as the view reports it; `flags` refers into the view's table and is valid until the view changes.
struct ViewMessage {
  std::uint32_t uid;
  std::uint64_t modseq;
  const std::vector<std::string>& flags;
};

class MailboxView {
 public:
  explicit MailboxView(MessageTablePool& pool = MessageTablePool::process_wide());

  // Starts from the whole mailbox: `all` holds every message (changes_since(0)).
  void reset(const store::MailboxChanges& all);

  std::uint32_t exists() const { return static_cast<std::uint32_t>(table_->entries.size()); }
  std::uint64_t highest_modseq() const { return highest_modseq_; }
  std::uint32_t uid_validity() const { return uid_validity_; }
  std::uint32_t uid_next() const { return uid_next_; }
  std::uint32_t largest_uid() const { return table_->entries.empty() ? 0 : table_->entries.back().uid; }

  // 1-based; seq must be in [1, exists()].
  ViewMessage at(std::uint32_t seq) const {
    const auto& e = table_->entries[seq - 1];
    return ViewMessage{e.uid, e.modseq, table_->flag_sets[e.flag_set]};
  }
  // A copy of every message (for SEARCH, SORT and THREAD, which run off the I/O thread).
  std::vector<store::MessageFlags> messages() const;
  std::optional<std::uint32_t> seq_of(std::uint32_t uid) const;
  // The table this view reads (shared with other views of equal content once published).
  const MessageTable& table() const { return *table_; }

  // Brings the view up to date with what changed after highest_modseq(): expunges first, then new messages,
  // then flag changes. Own changes already recorded (set_flags, remove) are not reported again.
  ViewUpdates apply(const store::MailboxChanges& changes);
  // Like apply(), from the complete message list: anything in the view but not in `all` is expunged. For when
  // apply() left the count different from the store's (a change the expunge log did not record).
  ViewUpdates resync(const store::MailboxChanges& all);

  // The session's own STORE: record the new flags so the next apply() does not report them again.
  void set_flags(const store::FlagChange& change);
  void set_flags(const std::vector<store::FlagChange>& changes);  // one copy-on-write for all of them
  // The session's own EXPUNGE/MOVE: removes the message; returns the sequence number it had.
  std::optional<std::uint32_t> remove(std::uint32_t uid);

 private:
  MessageTable& writable();  // the view's own copy, made on first write after publish()
  void publish();            // canonicalizes the own copy and swaps it for the pool's shared one

  MessageTablePool* pool_;
  std::shared_ptr<const MessageTable> table_;
  std::shared_ptr<MessageTable> own_;  // non-null while the view writes its unpublished copy (== table_)
  std::uint64_t highest_modseq_ = 0;
  std::uint32_t uid_validity_ = 0;
  std::uint32_t uid_next_ = 1;
};

}  // namespace bulwark::protocol::imap

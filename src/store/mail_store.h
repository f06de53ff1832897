// An account's mail: mailboxes and messages. Every call takes the principal asking, and the store itself checks
// that principal's rights (RFC 4314) on the mailbox concerned: the owner has every right, anyone else only
// what the owner granted. There is no call that skips the check, and message bytes are only reachable here.
// Writes return only once durable. Backends: store/sqlite (embedded default); PostgreSQL later, behind the
// same interface.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/auth/principal.h"
#include "domain/auth/rights.h"

namespace bulwark::store {

using domain::auth::AccountId;
using domain::auth::DeliveryTarget;
using domain::auth::Principal;
using domain::auth::Right;
using domain::auth::Rights;

// RFC 6154 special-use roles; every new account gets INBOX, Drafts, Sent, Trash, Junk and Archive.
enum class SpecialUse { none, drafts, sent, trash, junk, archive };
std::string_view special_use_attribute(SpecialUse role);  // "\\Drafts", ... ; "" for none

struct MailboxRef {
  AccountId owner = 0;
  std::int64_t id = 0;
  bool operator==(const MailboxRef&) const = default;
};

struct MailboxInfo {
  MailboxRef ref;
  std::string name;  // hierarchy delimiter '/', UTF-8
  SpecialUse role = SpecialUse::none;
  bool subscribed = false;
  std::uint32_t uid_validity = 0;
  std::uint32_t uid_next = 1;
  std::uint64_t highest_modseq = 1;
  std::uint32_t messages = 0;
  std::uint32_t unseen = 0;
  std::uint64_t size = 0;
  Rights rights;  // what the asking principal may do here
};

struct MessageRecord {
  std::uint32_t uid = 0;
  std::uint64_t modseq = 0;
  std::vector<std::string> flags;  // system flags ("\\Seen") and keywords, in stored order
  std::int64_t internal_date = 0;  // seconds since the epoch
  std::uint64_t size = 0;
  std::string blob_id;
  std::string structure;  // the cached parsed MIME structure (parse/mime), opaque to the store
};

// A message body made durable by store_blob(), ready to be appended or delivered to any number of mailboxes.
class BlobRef {
 public:
  const std::string& id() const { return id_; }
  std::uint64_t size() const { return size_; }

 private:
  friend class MailStore;
  BlobRef(std::string id, std::uint64_t size) : id_(std::move(id)), size_(size) {}
  std::string id_;
  std::uint64_t size_;
};

struct NewMessage {
  std::vector<std::string> flags;
  std::int64_t internal_date = 0;
  std::string structure;
};

struct Appended {
  std::uint32_t uid_validity = 0;
  std::uint32_t uid = 0;
  std::uint64_t modseq = 0;
};

enum class FlagOp { add, remove, replace };

struct FlagChange {
  std::uint32_t uid = 0;
  std::uint64_t modseq = 0;
  std::vector<std::string> flags;
};

struct Usage {
  std::uint64_t used_bytes = 0;
  std::uint64_t limit_bytes = 0;  // 0: no limit
};

// The counters of a mailbox that change with every write, cheap to read (IMAP NOOP/IDLE polling).
struct MailboxState {
  std::uint32_t uid_validity = 0;
  std::uint32_t uid_next = 1;
  std::uint64_t highest_modseq = 1;
  std::uint32_t messages = 0;
  bool operator==(const MailboxState&) const = default;
};

// A message's uid, modseq and flags, without its body or structure.
struct MessageFlags {
  std::uint32_t uid = 0;
  std::uint64_t modseq = 0;
  std::vector<std::string> flags;
  bool operator==(const MessageFlags&) const = default;
};

// What changed in a mailbox after a modseq (RFC 7162 3.1 CONDSTORE, 3.2 QRESYNC), read in one snapshot.
struct MailboxChanges {
  MailboxState state;
  std::vector<MessageFlags> changed;    // messages whose modseq is above `since` (new or re-flagged), uid order
  std::vector<std::uint32_t> expunged;  // uids expunged with a modseq above `since`, uid order
};

class MailStore {
 public:
  virtual ~MailStore() = default;

  // --- mailboxes ---
  // Mailboxes of `owner` the principal may look up (right l).
  [[nodiscard]] virtual Result<std::vector<MailboxInfo>> list_mailboxes(const Principal& who, AccountId owner) = 0;
  [[nodiscard]] virtual Result<MailboxInfo> find_mailbox(const Principal& who, AccountId owner,
                                                         std::string_view name) = 0;
  // find_mailbox() without the message counts (messages, unseen and size read as 0), which cost a pass over
  // the mailbox: for APPEND and COPY, which need only the mailbox's reference and rights.
  [[nodiscard]] virtual Result<MailboxInfo> lookup_mailbox(const Principal& who, AccountId owner,
                                                           std::string_view name) {
    return find_mailbox(who, owner, name);
  }
  [[nodiscard]] virtual Result<MailboxInfo> create_mailbox(const Principal& who, AccountId owner,
                                                           std::string_view name, SpecialUse role) = 0;
  [[nodiscard]] virtual Status delete_mailbox(const Principal& who, MailboxRef mailbox) = 0;
  [[nodiscard]] virtual Status rename_mailbox(const Principal& who, MailboxRef mailbox, std::string_view new_name) = 0;
  [[nodiscard]] virtual Status set_subscribed(const Principal& who, MailboxRef mailbox, bool subscribed) = 0;
  // The owner (right a) grants `grantee` rights on a mailbox; empty rights revoke.
  [[nodiscard]] virtual Status set_rights(const Principal& who, MailboxRef mailbox, AccountId grantee,
                                          Rights rights) = 0;

  // --- messages ---
  // Makes the bytes durable. Needs no principal: a stored blob grants nobody access to anything.
  [[nodiscard]] virtual Result<BlobRef> store_blob(std::string_view content) = 0;
  // Right i on the mailbox.
  [[nodiscard]] virtual Result<Appended> append(const Principal& who, MailboxRef mailbox, const BlobRef& blob,
                                                const NewMessage& message) = 0;
  // store_blob() and append() in one call, for IMAP APPEND: durable when it returns. The default does exactly
  // that; a backend may keep a small message inside the account's database so that it costs one sync instead
  // of the blob's and the append's (the SQLite store does, as for deliveries, ADR 0003).
  [[nodiscard]] virtual Result<Appended> append_message(const Principal& who, MailboxRef mailbox,
                                                        std::string_view content, const NewMessage& message);
  // Into the target account's INBOX; fails with quota_exceeded when over quota.
  [[nodiscard]] virtual Result<Appended> deliver(const DeliveryTarget& target, const BlobRef& blob,
                                                 const NewMessage& message) = 0;
  // Stores `content` once and delivers it into the INBOX of every target (distinct accounts, as the directory
  // resolved them); each result is durable when this returns. One result per target, in order: the new uid, or
  // why that account did not get it (quota_exceeded, ...). A failure to store the bytes fails every target.
  // The default stores a blob and calls deliver() per target; a backend may do better (ADR 0003: the SQLite
  // store keeps small single-account messages inside the account database and shares one sync among
  // concurrent deliveries).
  [[nodiscard]] virtual std::vector<Result<Appended>> deliver_message(std::span<const DeliveryTarget> targets,
                                                                      std::string_view content,
                                                                      const NewMessage& message);
  // Messages with uid in [first, last], in uid order (right r).
  [[nodiscard]] virtual Result<std::vector<MessageRecord>> list_messages(const Principal& who, MailboxRef mailbox,
                                                                         std::uint32_t first_uid,
                                                                         std::uint32_t last_uid) = 0;
  // The raw RFC 5322 bytes of one message (right r).
  [[nodiscard]] virtual Result<std::string> read_message(const Principal& who, MailboxRef mailbox,
                                                         std::uint32_t uid) = 0;
  // The first `max_bytes` bytes of each requested message (all of it if shorter), in request order; nullopt
  // for a message that is not there (expunged). For FETCH BODY[HEADER.FIELDS (...)] of a message list, where
  // reading whole messages, one store call each, to show their headers was most of the cost (right r).
  struct PrefixRequest {
    std::uint32_t uid = 0;
    std::size_t max_bytes = 0;
  };
  [[nodiscard]] virtual Result<std::vector<std::optional<std::string>>> read_message_prefixes(
      const Principal& who, MailboxRef mailbox, std::span<const PrefixRequest> wanted) {
    std::vector<std::optional<std::string>> out;
    for (const auto& request : wanted) {
      auto raw = read_message(who, mailbox, request.uid);
      if (!raw && raw.error().code != Errc::not_found) return tl::unexpected(raw.error());
      if (raw && raw->size() > request.max_bytes) raw->resize(request.max_bytes);
      out.push_back(raw ? std::optional<std::string>(std::move(*raw)) : std::nullopt);
    }
    return out;
  }
  // Rights s (for \Seen), t (for \Deleted) and w (others). Messages whose modseq is above unchanged_since are
  // left alone (RFC 7162 3.1.3) and reported in `failed`.
  [[nodiscard]] virtual Result<std::vector<FlagChange>> update_flags(
      const Principal& who, MailboxRef mailbox, std::span<const std::uint32_t> uids, FlagOp op,
      const std::vector<std::string>& flags, std::optional<std::uint64_t> unchanged_since,
      std::vector<std::uint32_t>* failed) = 0;
  // Removes messages flagged \Deleted (all, or only those in `uids`). Right e. Returns the expunged uids.
  [[nodiscard]] virtual Result<std::vector<std::uint32_t>> expunge(const Principal& who, MailboxRef mailbox,
                                                                   std::optional<std::vector<std::uint32_t>> uids) = 0;
  // Copies (r on source, i on target); returns (source uid, new uid) pairs and the target's uid validity.
  struct Copied {
    std::uint32_t uid_validity = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> uids;
  };
  [[nodiscard]] virtual Result<Copied> copy(const Principal& who, MailboxRef from, std::span<const std::uint32_t> uids,
                                            MailboxRef to) = 0;
  // Copy then remove from the source (also needs t and e on the source), atomically.
  [[nodiscard]] virtual Result<Copied> move(const Principal& who, MailboxRef from, std::span<const std::uint32_t> uids,
                                            MailboxRef to) = 0;
  [[nodiscard]] virtual Result<Usage> usage(const Principal& who) = 0;
  // The target account's usage, for refusing mail to a full mailbox at RCPT (RFC 3463 4.2.2). The default
  // reports unavailable, and callers then accept and let deliver() decide.
  [[nodiscard]] virtual Result<Usage> delivery_usage(const DeliveryTarget& target) {
    (void)target;
    return fail(Errc::unavailable, "usage by delivery target is not implemented by this backend");
  }

  // --- change tracking (IMAP sessions; additive, so a backend without it reports unavailable) ---
  // The mailbox's counters (right r).
  [[nodiscard]] virtual Result<MailboxState> mailbox_state(const Principal& who, MailboxRef mailbox) {
    (void)who, (void)mailbox;
    return fail(Errc::unavailable, "change tracking is not implemented by this backend");
  }
  // Messages changed and uids expunged after modseq `since` (right r); since = 0 lists every message.
  [[nodiscard]] virtual Result<MailboxChanges> changes_since(const Principal& who, MailboxRef mailbox,
                                                             std::uint64_t since) {
    (void)who, (void)mailbox, (void)since;
    return fail(Errc::unavailable, "change tracking is not implemented by this backend");
  }

  // SELECT/EXAMINE: the mailbox (without its message counts, which the caller derives from the list) and its
  // messages, read in one snapshot. Every message; or, when the name still leads to the mailbox `known` names
  // (a session selecting again the mailbox it has a view of), only the changes after known->since
  // (`incremental`, expunges included, as changes_since()). The default makes the two calls; a backend may do
  // it in one pass.
  struct KnownMailbox {
    std::int64_t mailbox_id = 0;
    std::uint64_t since = 0;
  };
  struct Opened {
    MailboxInfo info;
    MailboxChanges changes;
    bool incremental = false;
  };
  [[nodiscard]] virtual Result<Opened> open_mailbox(const Principal& who, AccountId owner, std::string_view name,
                                                    std::optional<KnownMailbox> known) {
    BULWARK_TRY_ASSIGN(auto info, find_mailbox(who, owner, name));
    const bool incremental = known && known->mailbox_id == info.ref.id && known->since != 0;
    BULWARK_TRY_ASSIGN(auto changes, changes_since(who, info.ref, incremental ? known->since : 0));
    return Opened{std::move(info), std::move(changes), incremental};
  }

  // --- search prefilter (optional; docs/search-index.md) ---
  // The uids (ascending) of the mailbox's messages (right r) whose searchable text MAY contain `folded_text`
  // (folded as the SEARCH matcher folds): a superset of the messages whose header or body text contains it,
  // every message not indexed yet included. unavailable when there is no usable index or it cannot serve this
  // text; the caller then looks at every message, as without an index.
  [[nodiscard]] virtual Result<std::vector<std::uint32_t>> search_candidates(const Principal& who,
                                                                             MailboxRef mailbox,
                                                                             std::string_view folded_text) {
    (void)who, (void)mailbox, (void)folded_text;
    return fail(Errc::unavailable, "no search index in this backend");
  }

  // Creates the account's storage and default mailboxes if missing. Idempotent.
  [[nodiscard]] virtual Status provision(const Principal& who) = 0;

 protected:
  static BlobRef make_blob_ref(std::string id, std::uint64_t size) { return BlobRef(std::move(id), size); }
};

}  // namespace bulwark::store

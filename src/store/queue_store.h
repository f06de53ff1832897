// The outbound queue: messages accepted for remote recipients (submission, alias forwarding) and local
// recipients whose delivery must be retried, kept durably until the delivery worker (src/delivery/) hands them
// on or bounces them with a DSN (RFC 3461/3464). The message bytes are either a blob made durable by
// MailStore::store_blob() (enqueue) or handed to the queue itself (enqueue_content), which may keep them inside
// its own database; the queue keeps them and the envelope (RFC 5321 envelope plus the RFC 3461
// parameters ENVID, RET, NOTIFY and ORCPT that the DSN will need).
//
// State: each recipient is pending, delivered or failed, with its attempt count, the time of its next attempt
// and the last error. A message leaves the queue when no recipient is pending any more (the log keeps the
// outcome). Every change is one SQLite transaction, so a crash leaves each recipient in its old or new state.
//
// Contract: every write returns only once durable (SMTP answers 250 after enqueue); thread-safe. Concurrent writes
// may share one sync (group commit); each still returns only once its own change is durable.
// Backends: store/sqlite (data_dir/queue.db).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/mail_store.h"

namespace bulwark::store {

using QueueId = std::int64_t;

struct QueueRecipient {
  std::string address;     // "local@domain" as accepted at RCPT
  std::string notify;      // RFC 3461 4.1 NOTIFY keywords ("NEVER", "SUCCESS,FAILURE,DELAY"), empty: not given
  std::string orcpt;       // RFC 3461 4.2 ORCPT "addr-type;address" (xtext decoded), empty: not given
  std::string last_error;  // why an earlier attempt failed (e.g. a local mailbox over quota), empty when none
  std::string last_tls;    // the transport security of the last attempt ("none", "MTA-STS enforce ..."), empty: none yet
};

struct QueueEnvelope {
  std::string sender;        // the reverse path without brackets; empty: the null reverse path <>
  std::vector<QueueRecipient> recipients;
  std::string envid;         // RFC 3461 4.4 ENVID (decoded), empty: not given
  std::string ret;           // RFC 3461 4.3 RET: "FULL", "HDRS" or empty
  bool smtputf8 = false;     // RFC 6531: the next hop must offer SMTPUTF8
  bool eight_bit = false;    // BODY=8BITMIME (or 8-bit content under SMTPUTF8)
  bool require_tls = false;  // RFC 8689-style: never hand this message on over a connection without TLS
  bool tls_optional = false; // RFC 8689 4: "TLS-Required: No": MTA-STS and require_tls_domains are not enforced
  std::string submitted_by;  // the authenticated login, empty for unauthenticated (forwarded) mail
  std::int64_t expires = 0;  // seconds since the epoch after which it bounces; 0: created + [delivery] lifetime
};

enum class QueueState { pending, delivered, failed };
std::string_view queue_state_name(QueueState state);

struct QueuedRecipient {
  QueueRecipient recipient;
  QueueState state = QueueState::pending;
  unsigned attempts = 0;
  std::int64_t next_attempt = 0;  // seconds since the epoch (meaningful while pending)
  int position = 0;               // the recipient's index in its message, its key in record()
};

struct QueuedMessage {
  QueueId id = 0;
  std::string blob_id;                  // empty: the bytes are kept inside the queue (enqueue_content)
  std::uint64_t size = 0;
  QueueEnvelope envelope;               // envelope.recipients is left empty; see `recipients`
  std::vector<QueuedRecipient> recipients;
  std::int64_t created = 0;             // seconds since the epoch
  std::int64_t next_attempt = 0;        // the earliest next_attempt of its pending recipients
};

// What one delivery attempt did to one recipient.
struct RecipientUpdate {
  int position = 0;
  QueueState state = QueueState::pending;
  std::string last_error;         // the remote reply or local reason; empty keeps the old one
  std::int64_t next_attempt = 0;  // when still pending
  bool attempted = true;          // false: not tried (e.g. deferred by a limit), attempts unchanged
  std::string last_tls{};         // what TLS the attempt used; empty keeps the old one
};

class QueueStore {
 public:
  virtual ~QueueStore() = default;

  // Makes the entry durable; its recipients start as pending, due at once. invalid_argument without recipients.
  [[nodiscard]] virtual Result<QueueId> enqueue(const BlobRef& blob, const QueueEnvelope& envelope) = 0;
  // enqueue() for bytes not yet stored: the backend keeps them durably with the entry (the SQLite backend inside
  // the same transaction when small enough, so one sync instead of a blob file's three).
  [[nodiscard]] virtual Result<QueueId> enqueue_content(std::string_view content, const QueueEnvelope& envelope) = 0;
  // Every queued message, oldest first.
  [[nodiscard]] virtual Result<std::vector<QueuedMessage>> list() = 0;
  // One message; not_found if it left the queue.
  [[nodiscard]] virtual Result<QueuedMessage> get(QueueId id) = 0;
  // Messages with a pending recipient due at or before `now`, earliest first, at most `limit`.
  [[nodiscard]] virtual Result<std::vector<QueuedMessage>> due(std::int64_t now, std::size_t limit) = 0;
  // Applies the outcome of an attempt atomically; the message leaves the queue once nothing is pending.
  // not_found if the message is gone (deleted by an admin meanwhile).
  [[nodiscard]] virtual Status record(QueueId id, const std::vector<RecipientUpdate>& updates) = 0;
  // Makes the pending recipients of one message (or of all, id = nullopt) due at `now`. Returns how many messages.
  [[nodiscard]] virtual Result<std::size_t> retry(std::optional<QueueId> id, std::int64_t now) = 0;
  // Drops a message without a bounce (admin). not_found if absent.
  [[nodiscard]] virtual Status remove(QueueId id) = 0;
  // The message bytes as queued (trace fields + message).
  [[nodiscard]] virtual Result<std::string> read_content(const QueuedMessage& message) = 0;
};

}  // namespace bulwark::store

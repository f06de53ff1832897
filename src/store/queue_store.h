// The outbound queue: messages accepted for remote recipients (submission, alias forwarding) and local
// recipients whose delivery must be retried, kept durably until the delivery worker (src/delivery/, next)
// hands them on or bounces them with a DSN (RFC 3461). The message bytes are a blob made durable by
// MailStore::store_blob(); the queue keeps its id and the envelope (RFC 5321 envelope plus the RFC 3461
// parameters ENVID, RET, NOTIFY and ORCPT that the DSN will need).
//
// Contract: enqueue() returns only once the entry is durable (SMTP answers 250 after it); thread-safe.
// Backends: store/sqlite (data_dir/queue.db).
#pragma once

#include <cstdint>
#include <string>
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
};

struct QueueEnvelope {
  std::string sender;        // the reverse path without brackets; empty: the null reverse path <>
  std::vector<QueueRecipient> recipients;
  std::string envid;         // RFC 3461 4.4 ENVID (decoded), empty: not given
  std::string ret;           // RFC 3461 4.3 RET: "FULL", "HDRS" or empty
  bool smtputf8 = false;     // RFC 6531: the next hop must offer SMTPUTF8
  bool eight_bit = false;    // BODY=8BITMIME (or 8-bit content under SMTPUTF8)
  std::string submitted_by;  // the authenticated login, empty for unauthenticated (forwarded) mail
};

enum class QueueState { pending, delivered, failed };

struct QueuedRecipient {
  QueueRecipient recipient;
  QueueState state = QueueState::pending;
  unsigned attempts = 0;
};

struct QueuedMessage {
  QueueId id = 0;
  std::string blob_id;
  std::uint64_t size = 0;
  QueueEnvelope envelope;               // envelope.recipients is left empty; see `recipients`
  std::vector<QueuedRecipient> recipients;
  std::int64_t created = 0;             // seconds since the epoch
  std::int64_t next_attempt = 0;        // seconds since the epoch
};

class QueueStore {
 public:
  virtual ~QueueStore() = default;

  // Makes the entry durable; its recipients start as pending, due at once. invalid_argument without recipients.
  [[nodiscard]] virtual Result<QueueId> enqueue(const BlobRef& blob, const QueueEnvelope& envelope) = 0;
  // Every queued message, oldest first.
  [[nodiscard]] virtual Result<std::vector<QueuedMessage>> list() = 0;
};

}  // namespace bulwark::store

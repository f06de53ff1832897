// The blocking half of the delivery worker (runs on the blocking pool): picking due messages and grouping
// their recipients by destination, reading and DKIM-signing a message, local delivery of queued local
// recipients (retries, and DSNs to local senders), and recording each attempt's outcome with its bounce.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/config.h"
#include "delivery/dkim_signer.h"
#include "delivery/retry_policy.h"
#include "delivery/smtp_client.h"
#include "store/directory_store.h"
#include "store/mail_store.h"
#include "store/queue_store.h"

namespace bulwark::delivery {

struct Stores {
  store::QueueStore& queue;
  store::MailStore& mail;
  store::DirectoryStore& directory;
  // Called after a local delivery is durable (wakes IMAP IDLE sessions of that account); may be empty.
  std::function<void(store::AccountId)> delivered_to;
};

// Some recipients of one message that share a destination.
struct Job {
  std::shared_ptr<const store::QueuedMessage> message;
  std::vector<std::size_t> recipients;  // indexes into message->recipients
  std::string domain;                   // lower case; the destination key unless relayed
  bool local = false;                   // the domain is one of ours: deliver into the mailbox
};

enum class OutcomeKind { delivered, transient, permanent };

struct RecipientOutcome {
  std::size_t index = 0;  // into message->recipients
  OutcomeKind kind = OutcomeKind::transient;
  Failure failure;        // when not delivered
  std::string remote_mta; // the host that answered, empty when none did
  bool remote_has_dsn = true;  // the next hop took NOTIFY itself (else we report "relayed" for NOTIFY=SUCCESS)
  std::string tls;             // what TLS the attempt used (tls_policy.h describe_tls), empty: no connection
};

struct JobSettings {
  RetryPolicy retry;
  std::string hostname;  // Reporting-MTA, MAILER-DAEMON@
};

// Due messages not in `busy`, grouped into jobs (one per message and destination domain).
[[nodiscard]] Result<std::vector<Job>> plan_due(Stores stores, std::int64_t now, std::size_t limit,
                                                const std::set<store::QueueId>& busy);
// The due recipients of the messages `ids` (just queued) not in `busy`, grouped into jobs like plan_due's. Ids
// no longer queued are skipped.
[[nodiscard]] Result<std::vector<Job>> plan_queued(Stores stores, std::int64_t now, const std::vector<store::QueueId>& ids,
                                                   const std::set<store::QueueId>& busy);
// The message bytes as they leave: DKIM signature fields (when the sender's domain has a key) + queued content.
[[nodiscard]] Result<std::string> prepare_content(Stores stores, DkimSigner* signer, const store::QueuedMessage& message,
                                                  std::int64_t now);
// Delivers a local job into the recipients' INBOXes.
std::vector<RecipientOutcome> deliver_local(Stores stores, const Job& job, std::int64_t now);
// Records the outcomes (retry times, final states) and queues a DSN for those that need one. Returns one log
// line per recipient.
[[nodiscard]] Result<std::vector<std::string>> finish_job(Stores stores, const JobSettings& settings, const Job& job,
                                                          const std::vector<RecipientOutcome>& outcomes,
                                                          std::int64_t now);

std::string domain_of(const std::string& address);

}  // namespace bulwark::delivery

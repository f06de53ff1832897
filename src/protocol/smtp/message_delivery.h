// The blocking half of accepting a message (runs on the blocking pool through net::run_blocking): store the
// bytes once, deliver them to each local account once, and put remote recipients (and local ones whose
// delivery failed after another recipient already got the message) in the outbound queue. Returns what
// happened so the session can answer with one reply (RFC 5321 has one reply after DATA).
//
// Policy for a partial failure: the reply is 250 as soon as the message reached
// at least one recipient or the queue; local recipients whose delivery failed then go to the queue with the
// reason, so the delivery worker retries them and finally bounces with a DSN. Only when nothing was accepted
// does the client get the error (the first failure's), and it may retry without causing duplicates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/mail_store.h"
#include "store/queue_store.h"

namespace bulwark::protocol::smtp {

struct DeliveryJob {
  store::MailStore* mail = nullptr;
  store::QueueStore* queue = nullptr;
  // Return-Path + Received + message for local INBOXes; from `queue_offset` on (Received + message, no
  // Return-Path, RFC 5321 4.4) for the outbound queue. One buffer, so a large message is not copied twice.
  std::string content;
  std::size_t queue_offset = 0;
  std::vector<store::DeliveryTarget> local;
  store::QueueEnvelope remote;  // remote.recipients may be empty
  std::int64_t internal_date = 0;
};

struct LocalResult {
  std::string address;
  std::int64_t account = 0;
  std::uint32_t uid = 0;
  std::optional<Error> error;  // quota_exceeded, too_big (message larger than the whole quota), ...
};

struct DeliveryOutcome {
  std::vector<LocalResult> local;
  std::optional<store::QueueId> queue_id;
  // Set when nothing was accepted, or when the queue insert failed: what the client is told.
  std::optional<Error> failure;
  std::size_t delivered() const;
};

// Blocking: SQLite writes and fsync.
DeliveryOutcome deliver_message(DeliveryJob job);

}  // namespace bulwark::protocol::smtp

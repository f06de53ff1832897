#include "protocol/smtp/message_delivery.h"

namespace bulwark::protocol::smtp {

std::size_t DeliveryOutcome::delivered() const {
  std::size_t n = 0;
  for (const auto& r : local) n += r.error ? 0 : 1;
  return n;
}

DeliveryOutcome deliver_message(DeliveryJob job) {
  DeliveryOutcome outcome;
  store::QueueEnvelope envelope = std::move(job.remote);
  if (!job.local.empty()) {
    store::NewMessage message;
    message.internal_date = job.internal_date;
    // One call for every local account: the store keeps the bytes once and syncs once per account (ADR 0003).
    auto results = job.mail->deliver_message(job.local, job.content, message);
    for (std::size_t i = 0; i < job.local.size(); ++i) {
      const auto& target = job.local[i];
      LocalResult result;
      result.address = target.address();
      result.account = target.account_id();
      if (results[i]) {
        result.uid = results[i]->uid;
      } else {
        Error error = results[i].error();
        // Bigger than the whole quota: no amount of waiting helps (552 5.2.2 rather than 452 4.2.2).
        if (error.code == Errc::quota_exceeded && target.quota_bytes() != 0 &&
            job.content.size() > target.quota_bytes()) {
          error.code = Errc::too_big;
        }
        result.error = error;
      }
      outcome.local.push_back(std::move(result));
    }
  }
  const bool any_delivered = outcome.delivered() > 0;
  if (!any_delivered && envelope.recipients.empty()) {
    // Nothing accepted: the client gets the first error and keeps responsibility for the message.
    for (const auto& r : outcome.local) {
      if (r.error) {
        outcome.failure = *r.error;
        break;
      }
    }
    return outcome;
  }
  // Something is accepted, so every local failure becomes the queue's job (retry, then a DSN).
  for (const auto& r : outcome.local) {
    if (!r.error) continue;
    store::QueueRecipient retry;
    retry.address = r.address;
    retry.last_error = std::string(errc_name(r.error->code)) + ": " + r.error->detail;
    envelope.recipients.push_back(std::move(retry));
  }
  if (envelope.recipients.empty()) return outcome;
  // The queue keeps the bytes itself: a small message goes into queue.db's transaction, which concurrent
  // submissions share (one sync for many 250s).
  auto id = job.queue->enqueue_content(std::string_view(job.content).substr(job.queue_offset), envelope);
  if (!id) {
    outcome.failure = id.error();
    return outcome;
  }
  outcome.queue_id = *id;
  return outcome;
}

}  // namespace bulwark::protocol::smtp

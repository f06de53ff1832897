// The end of the data (after DATA's terminator or BDAT LAST): check the message against the rules, prepend
// the trace fields (RFC 5321 4.4), store and deliver it on the blocking pool, and answer once. The final 250
// is sent only after every local delivery and the queue insert have returned (both fsync).
//
// Content rules, in order: size (552 5.3.4), NUL / bare CR or LF under "reject" / over-long line (550 5.6.0),
// 8-bit octets without BODY=8BITMIME or SMTPUTF8 (554 5.6.1, RFC 6152 does not let us guess a charset), and for
// an authenticated sender with smtp.enforce_sender the From: header addresses (550 5.7.1).
#include <chrono>
#include <ctime>

#include <fmt/format.h>

#include "base/log.h"
#include "net/blocking.h"
#include "parse/smtp/tls_required.h"
#include "protocol/smtp/imip_hook.h"
#include "protocol/smtp/message_delivery.h"
#include "protocol/smtp/received_header.h"
#include "protocol/smtp/sender_check.h"
#include "protocol/smtp/smtp_session.h"

namespace bulwark::protocol::smtp {

std::string SmtpSession::next_message_id() {
  auto n = shared_.messages.fetch_add(1) + 1;
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  return fmt::format("{:X}.{:X}.{:X}", now.count(), connection_->info.id, n);
}

std::optional<Reply> SmtpSession::check_content(const std::string& body,
                                                const parse::smtp::MessageReport& report) const {
  if (auto status = report.status(); !status) return reply_for(status.error(), Stage::message);
  const auto& parameters = transaction_->mail.parameters;
  const bool eight_bit_declared = parameters.smtputf8 || parameters.body == parse::smtp::Body::eight_bit_mime ||
                                  parameters.body == parse::smtp::Body::binary_mime;
  if (report.eight_bit && !eight_bit_declared) return replies::eight_bit_not_declared();
  if (principal_ && config_->smtp.enforce_sender) {
    auto from = header_from_addresses(body);
    if (!from) {
      return reply_for(Error{Errc::permission_denied, "From: header refused: " + from.error().detail}, Stage::message);
    }
    for (const auto& address : *from) {
      if (!is_allowed_sender(address, transaction_->sender_addresses)) {
        return replies::from_header_not_owned({});
      }
    }
  }
  return std::nullopt;
}

net::awaitable<void> SmtpSession::accept_message(std::string body, parse::smtp::MessageReport report) {
  current_verb_ = "message";
  if (auto refused = check_content(body, report)) {
    transaction_.reset();
    { queue(std::move(*refused)); co_return co_await flush(); }
  }
  Transaction transaction = std::move(*transaction_);
  transaction_.reset();

  const auto now = std::chrono::system_clock::now();
  ReceivedInfo trace;
  trace.helo = helo_.value_or(connection_->info.peer_ip);
  trace.peer_ip = connection_->info.peer_ip;
  trace.by_host = config_->hostname;
  trace.esmtp = esmtp_;
  trace.tls = is_tls();
  trace.authenticated = principal_.has_value();
  trace.tls_description = connection_->stream.tls_description();
  trace.id = next_message_id();
  if (transaction.recipients.size() == 1) trace.for_recipient = transaction.recipients.front();
  trace.when = std::chrono::system_clock::to_time_t(now);
  const std::string received = format_received(trace);
  const std::size_t size = body.size();

  DeliveryJob job;
  job.mail = &services_.mail;
  job.queue = &services_.queue;
  job.internal_date = static_cast<std::int64_t>(trace.when);
  if (!transaction.local.empty()) job.content = format_return_path(transaction.sender);
  job.queue_offset = job.content.size();
  job.content.reserve(job.content.size() + received.size() + body.size());
  job.content += received;
  job.content += body;
  job.local = transaction.local;
  job.remote.sender = transaction.sender;
  job.remote.recipients = transaction.remote;
  const auto& parameters = transaction.mail.parameters;
  job.remote.envid = parameters.envid.value_or("");
  if (parameters.ret) job.remote.ret = *parameters.ret == parse::smtp::Ret::full ? "FULL" : "HDRS";
  job.remote.smtputf8 = parameters.smtputf8;
  job.remote.require_tls = parameters.requiretls;
  // RFC 8689 4: with REQUIRETLS the TLS-Required header field is ignored.
  job.remote.tls_optional = !parameters.requiretls && parse::smtp::has_tls_required_no(body);
  job.remote.eight_bit = report.eight_bit;
  job.remote.submitted_by = principal_ ? principal_->address() : std::string();
  body.clear();
  body.shrink_to_fit();
  // Kept only for messages that may carry an invitation (iMIP), for the hook after delivery.
  std::string imip_copy;
  if (!job.local.empty() && services_.dav != nullptr && may_carry_imip(job.content)) imip_copy = job.content;

  auto deliver = [job = std::move(job)]() mutable { return deliver_message(std::move(job)); };
  auto outcome = co_await net::run_blocking(connection_->blocking, std::move(deliver));
  for (const auto& r : outcome.local) {
    if (!r.error) services_.notify_mailbox_changed(r.account, 0);  // wakes IMAP IDLE on that account
  }

  if (!imip_copy.empty() && !outcome.failure) {
    ImipHookJob hook;
    hook.services = &services_;
    hook.content = std::move(imip_copy);
    hook.sender = principal_;
    for (const auto& target : transaction.local) {
      for (const auto& r : outcome.local) {
        if (!r.error && r.account == target.account_id()) hook.delivered.push_back(target);
      }
    }
    auto run_hook = [hook = std::move(hook)]() mutable { return run_imip_hook(std::move(hook)); };
    auto scheduled = co_await net::run_blocking(connection_->blocking, std::move(run_hook));
    if (scheduled > 0) connection_->log.info("message {}: invitation for {} recipient(s)", trace.id, scheduled);
  }

  std::string uids;
  for (const auto& r : outcome.local) {
    if (!uids.empty()) uids += ' ';
    uids += r.error ? fmt::format("{}=failed({})", r.account, errc_name(r.error->code))
                    : fmt::format("{}:{}", r.account, r.uid);
  }
  std::string rcpts;
  for (const auto& r : transaction.recipients) rcpts += (rcpts.empty() ? "" : ",") + log::sanitize(r);
  if (outcome.failure) {
    connection_->log.warn("message {} not accepted (from=<{}> rcpts={}): {}: {}", trace.id,
                          log::sanitize(transaction.sender), rcpts, errc_name(outcome.failure->code),
                          outcome.failure->detail);
    { queue(reply_for(*outcome.failure, Stage::delivery)); co_return co_await flush(); }
  }
  connection_->log.info("message accepted id={} size={} from=<{}> rcpts={} uids=[{}] queue={}", trace.id, size,
                        log::sanitize(transaction.sender), rcpts, uids,
                        outcome.queue_id ? std::to_string(*outcome.queue_id) : std::string("-"));
  queue({250, "2.0.0", "OK: queued as " + trace.id});
  co_await flush();
}

}  // namespace bulwark::protocol::smtp

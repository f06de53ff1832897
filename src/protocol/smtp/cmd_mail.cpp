// RFC 5321 4.1.1.2 MAIL FROM, with REQUIRETLS (RFC 8689, kept with the queued message), SIZE (RFC 1870: a declared size over the limit is refused at once with
// 552 5.3.4), BODY (RFC 6152; BINARYMIME is not offered), SMTPUTF8, RET/ENVID (RFC 3461, kept for the DSN).
// Submission (RFC 6409) needs TLS and AUTH first; with smtp.enforce_sender an authenticated sender may only use
// its own addresses (553 5.7.1). The per-IP message rate limit is counted here (451 4.7.1).
#include "base/log.h"
#include "net/blocking.h"
#include "protocol/smtp/sender_check.h"
#include "protocol/smtp/smtp_session.h"

namespace bulwark::protocol::smtp {

net::awaitable<void> SmtpSession::on_mail(parse::smtp::MailFrom mail) {
  if (!helo_) { queue(replies::bad_sequence("Send EHLO or HELO first")); co_return co_await flush(); }
  if (is_submission() && !is_tls()) { queue(replies::starttls_first()); co_return co_await flush(); }
  if (is_submission() && !principal_) { queue(replies::auth_required()); co_return co_await flush(); }
  if (transaction_) { queue(replies::bad_sequence("Nested MAIL command")); co_return co_await flush(); }
  const auto& parameters = mail.parameters;
  if (parameters.body == parse::smtp::Body::binary_mime) {
    { queue({555, "5.5.4", "BODY=BINARYMIME is not supported"}); co_return co_await flush(); }
  }
  if (parameters.requiretls && !is_tls()) {
    // RFC 8689 4.1: REQUIRETLS is only offered (and only valid) inside TLS.
    { queue({530, "5.7.10", "REQUIRETLS needs a TLS session"}); co_return co_await flush(); }
  }
  if (parameters.size && *parameters.size > config_->limits.max_message_bytes) {
    { queue(replies::message_too_big()); co_return co_await flush(); }
  }
  std::string sender = mail.reverse_path.is_null() ? std::string() : mail.reverse_path.mailbox->to_string();
  std::vector<std::string> allowed;
  if (principal_ && config_->smtp.enforce_sender) {
    auto lookup = [&directory = services_.directory, who = *principal_]() { return directory.sender_addresses(who); };
    auto addresses = co_await net::run_blocking(connection_->blocking, std::move(lookup));
    if (!addresses) {
      connection_->log.error("sender addresses: {}", addresses.error().detail);
      { queue(replies::temporary_failure()); co_return co_await flush(); }
    }
    allowed = std::move(*addresses);
    // The null reverse path (bounces, MDNs) impersonates nobody; the From: header is still checked.
    if (!sender.empty() && !is_allowed_sender(sender, allowed)) {
      connection_->log.warn("MAIL FROM:<{}> is not an address of {}", log::sanitize(sender), principal_->address());
      { queue(replies::sender_not_owned()); co_return co_await flush(); }
    }
  }
  if (!shared_.rate.allow(connection_->info.peer_ip, config_->smtp.max_messages_per_minute_per_ip,
                          MessageRateLimiter::Clock::now())) {
    { queue(replies::rate_limited()); co_return co_await flush(); }
  }
  connection_->log.debug("MAIL FROM:<{}>", log::sanitize(sender));
  transaction_.emplace();
  transaction_->mail = std::move(mail);
  transaction_->sender = std::move(sender);
  transaction_->sender_addresses = std::move(allowed);
  queue({250, "2.1.0", "Sender OK"});
  co_await flush();
}

}  // namespace bulwark::protocol::smtp

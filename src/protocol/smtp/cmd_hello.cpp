// RFC 5321 4.1.1.1 EHLO / HELO, and the service extensions a Bulwark server offers (RFC 1869):
// PIPELINING (RFC 2920), SIZE (RFC 1870), 8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531), ENHANCEDSTATUSCODES
// (RFC 2034), CHUNKING (RFC 3030), DSN (RFC 3461), STARTTLS (RFC 3207, until TLS is on), REQUIRETLS (RFC 8689,
// once TLS is on) and AUTH (RFC 4954, only once TLS is on).
#include "base/log.h"
#include "protocol/smtp/smtp_session.h"

namespace bulwark::protocol::smtp {

net::awaitable<void> SmtpSession::on_hello(parse::smtp::Verb verb, parse::smtp::Hello hello) {
  const bool ehlo = verb == parse::smtp::Verb::ehlo;
  // RFC 5321 4.1.4: EHLO/HELO in a session resets any transaction, as RSET does.
  transaction_.reset();
  helo_ = hello.domain;
  esmtp_ = ehlo;
  connection_->log.info("{} {}", ehlo ? "EHLO" : "HELO", log::sanitize(hello.domain, 255));
  const std::string& host = config_->hostname;
  if (!ehlo) {
    queue_raw("250 " + host + " Hello " + hello.domain + "\r\n");
    co_await flush();
    co_return;
  }
  std::vector<std::string> lines{
      host + " Hello " + hello.domain + " [" + connection_->info.peer_ip + "]",
      "PIPELINING",
      "SIZE " + std::to_string(config_->limits.max_message_bytes),
      "8BITMIME",
      "SMTPUTF8",
      "ENHANCEDSTATUSCODES",
      "CHUNKING",
      "DSN",
  };
  if (!is_tls()) lines.emplace_back("STARTTLS");
  if (is_tls()) lines.emplace_back("REQUIRETLS");  // RFC 8689 4.1: offered only inside TLS
  if (is_tls() && !principal_) lines.emplace_back("AUTH PLAIN LOGIN");
  lines.emplace_back("HELP");
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += i + 1 < lines.size() ? "250-" : "250 ";
    out += lines[i];
    out += "\r\n";
  }
  queue_raw(std::move(out));
  co_await flush();
}

}  // namespace bulwark::protocol::smtp

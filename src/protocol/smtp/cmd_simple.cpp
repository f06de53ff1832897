// RFC 5321 4.1.1.5 RSET, 4.1.1.9 NOOP, 4.1.1.10 QUIT, 4.1.1.8 HELP, and 4.1.1.6/4.1.1.7 VRFY/EXPN, which
// answer 252 (3.5.3) so that nothing about local users is revealed.
#include "protocol/smtp/smtp_session.h"

namespace bulwark::protocol::smtp {

net::awaitable<void> SmtpSession::on_simple(parse::smtp::Command command) {
  using parse::smtp::Verb;
  switch (command.verb) {
    case Verb::rset:
      transaction_.reset();
      { queue(replies::ok("Reset")); co_return co_await flush(); }
    case Verb::noop:
      { queue(replies::ok("OK")); co_return co_await flush(); }
    case Verb::quit:
      closing_ = true;
      queue_raw("221 2.0.0 " + config_->hostname + " closing connection\r\n");
  co_await flush();
      co_return;
    case Verb::help:
      queue({214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY EXPN STARTTLS AUTH"});
      co_return co_await flush();
    case Verb::vrfy:
    case Verb::expn:
      { queue(replies::cannot_verify()); co_return co_await flush(); }
    default:
      { queue(replies::unrecognized()); co_return co_await flush(); }
  }
}

}  // namespace bulwark::protocol::smtp

// RFC 4954 AUTH with the SASL mechanisms PLAIN (RFC 4616) and LOGIN, offered and accepted only over TLS.
// Every attempt goes through the shared login throttle (domain/auth/login_throttle.h): a banned IP or account
// gets 454 4.7.0 without a password check, otherwise the throttle's delay is waited out on a timer (never
// blocking the thread) before the argon2id check runs on the blocking pool. Failures are logged with the peer
// and the login name; the client only learns 535 5.7.8.
#include "base/log.h"
#include "domain/mail/address.h"
#include "net/blocking.h"
#include "parse/sasl/base64.h"
#include "parse/sasl/sasl_login.h"
#include "parse/sasl/sasl_plain.h"
#include "protocol/login/password_login.h"
#include "protocol/smtp/smtp_session.h"

namespace bulwark::protocol::smtp {

net::awaitable<std::optional<std::string>> SmtpSession::read_auth_response(std::string_view challenge) {
  queue_raw("334 " + std::string(challenge) + "\r\n");
  co_await flush();
  if (closing_) co_return std::nullopt;
  auto line = co_await read_line(kMaxAuthLine, "AUTH");
  if (!line) co_return std::nullopt;
  co_return std::move(line->text);
}

net::awaitable<void> SmtpSession::on_auth(parse::smtp::Auth auth) {
  if (!helo_ || !esmtp_) { queue(replies::bad_sequence("Send EHLO first")); co_return co_await flush(); }
  if (!is_tls()) { queue(replies::starttls_first()); co_return co_await flush(); }
  if (principal_) { queue(replies::bad_sequence("Already authenticated")); co_return co_await flush(); }
  if (transaction_) { queue(replies::bad_sequence("AUTH not permitted during a mail transaction")); co_return co_await flush(); }

  if (auth.mechanism == "PLAIN") {
    std::string response;
    if (auth.initial_response) {
      response = std::move(*auth.initial_response);
    } else {
      auto line = co_await read_auth_response("");
      if (!line) co_return;
      response = std::move(*line);
    }
    if (parse::sasl::is_cancel(response)) { queue(replies::auth_cancelled()); co_return co_await flush(); }
    auto decoded = parse::sasl::base64_decode(response);
    if (!decoded) { queue(reply_for(decoded.error(), Stage::auth)); co_return co_await flush(); }
    auto credentials = parse::sasl::parse_plain(*decoded);
    if (!credentials) { queue(reply_for(credentials.error(), Stage::auth)); co_return co_await flush(); }
    if (!credentials->authzid.empty() && credentials->authzid != credentials->authcid) {
      // Acting as somebody else is not supported: treated as a failed login.
      credentials->password.clear();
    }
    std::string login = std::move(credentials->authcid);
    std::string password = std::move(credentials->password);
    co_return co_await verify_password("PLAIN", std::move(login), std::move(password));
  }
  if (auth.mechanism == "LOGIN") {
    std::string user_line;
    if (auth.initial_response) {
      user_line = std::move(*auth.initial_response);
    } else {
      auto line = co_await read_auth_response(parse::sasl::kLoginUsernameChallenge);
      if (!line) co_return;
      user_line = std::move(*line);
    }
    if (parse::sasl::is_cancel(user_line)) { queue(replies::auth_cancelled()); co_return co_await flush(); }
    auto user = parse::sasl::parse_login_username(user_line);
    if (!user) { queue(reply_for(user.error(), Stage::auth)); co_return co_await flush(); }
    auto password_line = co_await read_auth_response(parse::sasl::kLoginPasswordChallenge);
    if (!password_line) co_return;
    if (parse::sasl::is_cancel(*password_line)) { queue(replies::auth_cancelled()); co_return co_await flush(); }
    auto password = parse::sasl::parse_login_password(*password_line);
    if (!password) { queue(reply_for(password.error(), Stage::auth)); co_return co_await flush(); }
    std::string login = std::move(*user);
    std::string secret = std::move(*password);
    co_return co_await verify_password("LOGIN", std::move(login), std::move(secret));
  }
  queue(replies::auth_mechanism_unknown());
  co_await flush();
}

net::awaitable<void> SmtpSession::verify_password(std::string_view mechanism, std::string login,
                                                  std::string password) {
  std::string name = "AUTH " + std::string(mechanism);
  auto result = co_await password_login(services_, *connection_, std::move(name), std::move(login),
                                        std::move(password));
  switch (result.outcome) {
    case LoginOutcome::success:
      principal_ = std::move(*result.principal);
      queue(replies::auth_success());
      break;
    case LoginOutcome::banned: queue(replies::auth_banned()); break;
    case LoginOutcome::invalid: queue(replies::auth_invalid()); break;
    case LoginOutcome::unavailable: queue(replies::auth_temporary()); break;
  }
  co_await flush();
}

}  // namespace bulwark::protocol::smtp

// LOGIN (RFC 9051 6.2.3) and AUTHENTICATE PLAIN (6.2.2, RFC 4616) with SASL-IR (RFC 4959). Refused without TLS
// ([PRIVACYREQUIRED], RFC 5530) unless the peer is on loopback and allow_plaintext_auth_on_loopback is set.
// Every attempt goes through the shared login throttle: its delay is waited out on a timer, a ban is
// answered [UNAVAILABLE] without checking the password, a wrong password [AUTHENTICATIONFAILED]; every failure
// is logged for fail2ban-style tooling.
#include <algorithm>
#include <cctype>

#include "base/log.h"
#include "parse/imap/command_parser.h"
#include "parse/sasl/base64.h"
#include "parse/sasl/sasl_plain.h"
#include "protocol/imap/imap_session.h"
#include "protocol/login/password_login.h"

namespace bulwark::protocol::imap {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

net::awaitable<Reply> ImapSession::on_login(parse::imap::Command command) {
  if (!is_auth_allowed()) co_return Reply::no("[PRIVACYREQUIRED] Use STARTTLS or IMAPS to log in");
  auto args = std::get<parse::imap::LoginArgs>(std::move(command.args));
  std::string mechanism = "LOGIN";
  co_return co_await verify_login(std::move(args.userid), std::move(args.password), std::move(mechanism));
}

net::awaitable<Reply> ImapSession::on_authenticate(parse::imap::Command command) {
  auto args = std::get<parse::imap::AuthenticateArgs>(std::move(command.args));
  if (args.mechanism != "PLAIN") co_return Reply::no("[CANNOT] Unsupported authentication mechanism");
  if (!is_auth_allowed()) co_return Reply::no("[PRIVACYREQUIRED] Use STARTTLS or IMAPS to log in");
  std::string response;
  if (args.initial_response) {
    response = std::move(*args.initial_response);
  } else {
    write("+ \r\n");
    if (!co_await flush()) co_return Reply::sent();
    auto line = co_await read_next_command();
    if (!line) co_return Reply::sent();
    auto checked = parse::imap::parse_authenticate_response(line->text);
    if (!checked) co_return Reply::bad("Invalid base64 in authentication response");
    if (!*checked) co_return Reply::bad("Authentication cancelled");
    response = std::move(**checked);
  }
  auto decoded = parse::sasl::base64_decode(response);
  if (!decoded) co_return Reply::bad("Invalid base64 in authentication response");
  auto credentials = parse::sasl::parse_plain(*decoded);
  if (!credentials) co_return Reply::bad("Invalid PLAIN authentication message");
  if (!credentials->authzid.empty() && lower(credentials->authzid) != lower(credentials->authcid)) {
    co_return Reply::no("[AUTHORIZATIONFAILED] Cannot act as another user");
  }
  std::string mechanism = "AUTHENTICATE PLAIN";
  co_return co_await verify_login(std::move(credentials->authcid), std::move(credentials->password),
                                  std::move(mechanism));
}

net::awaitable<Reply> ImapSession::verify_login(std::string login, std::string password, std::string mechanism) {
  auto result = co_await password_login(services_, *connection_, std::move(mechanism), std::move(login),
                                        std::move(password));
  switch (result.outcome) {
    case LoginOutcome::success: break;
    case LoginOutcome::banned: co_return Reply::no("[UNAVAILABLE] Too many failed logins; try again later");
    case LoginOutcome::invalid: co_return Reply::no("[AUTHENTICATIONFAILED] Authentication failed");
    case LoginOutcome::unavailable: co_return Reply::no("[UNAVAILABLE] Authentication temporarily unavailable");
  }
  principal_.emplace(std::move(*result.principal));
  state_ = SessionState::authenticated;
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  auto job2 = [&mail, who] { return mail.provision(who); };
  auto provisioned = co_await net::run_blocking(connection_->blocking, std::move(job2));
  if (!provisioned) connection_->log.error("provisioning mailboxes failed: {}", provisioned.error().detail);
  co_return Reply::ok("[CAPABILITY " + capability_list() + "] Logged in");
}

}  // namespace bulwark::protocol::imap

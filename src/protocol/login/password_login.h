// One password login, the same for every front-end: the login throttle first (a banned address or account is
// refused without asking the directory; a delay is waited out), then the directory's check on the blocking pool,
// then the attempt recorded with the throttle and logged. Each protocol only words the outcome its own way
// (SMTP 235/535/454, IMAP OK/NO [AUTHENTICATIONFAILED], HTTP 200/401/429).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "net/asio.h"
#include "net/connection.h"
#include "protocol/services.h"

namespace bulwark::protocol {

enum class LoginOutcome {
  success,      // `principal` is set
  banned,       // too many failures from this address or for this account: refused without checking
  invalid,      // wrong login or password (the throttle counted it)
  unavailable,  // the directory failed; the client may try again later
};

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::invalid;
  std::optional<store::Principal> principal;
};

// `mechanism` names the attempt in the log ("AUTH PLAIN", "LOGIN", "HTTP Basic"). Log lines: "<mechanism>
// succeeded for <address>", "<mechanism> failed for <login> from <peer>", "<mechanism> refused for <login>: too
// many failed logins (banned)". (No default arguments and values, not temporaries: see house style on g++ 12.)
net::awaitable<LoginResult> password_login(Services& services, net::Connection& connection, std::string mechanism,
                                           std::string login, std::string password);

}  // namespace bulwark::protocol

#include "protocol/login/password_login.h"

#include "base/log.h"
#include "domain/mail/address.h"
#include "net/blocking.h"

namespace bulwark::protocol {

net::awaitable<LoginResult> password_login(Services& services, net::Connection& connection, std::string mechanism,
                                           std::string login, std::string password) {
  const std::string ip = connection.info.peer_ip;
  const std::string account = domain::mail::ascii_lower(login);
  const std::string shown = log::sanitize(login, 100);
  auto verdict = services.throttle.before_attempt(ip, account);
  if (verdict.banned) {
    connection.log.warn("{} refused for {}: too many failed logins (banned)", mechanism, shown);
    co_return LoginResult{LoginOutcome::banned, std::nullopt};
  }
  if (verdict.delay.count() > 0) {
    net::asio::steady_timer timer(connection.stream.socket().get_executor(), verdict.delay);
    (void)co_await timer.async_wait(net::use_tuple);
  }
  Result<store::Principal> result = fail(Errc::permission_denied, "empty password");
  if (!password.empty()) {
    auto check = [&directory = services.directory, login, password = std::move(password)] {
      return directory.authenticate(login, password);
    };
    result = co_await net::run_blocking(connection.blocking, std::move(check));
  }
  if (result) {
    services.throttle.record_success(ip, account);
    connection.log.set_user(result->address());
    connection.log.info("{} succeeded for {}", mechanism, result->address());
    co_return LoginResult{LoginOutcome::success, std::move(*result)};
  }
  const Errc code = result.error().code;
  if (code == Errc::permission_denied || code == Errc::not_found || code == Errc::invalid_argument) {
    const bool banned = services.throttle.record_failure(ip, account);
    connection.log.warn("{} failed for {} from {}{}", mechanism, shown, connection.log.peer(),
                        banned ? "; the address or account is now banned for a while" : "");
    co_return LoginResult{LoginOutcome::invalid, std::nullopt};
  }
  connection.log.error("{}: directory error: {}", mechanism, result.error().detail);
  co_return LoginResult{LoginOutcome::unavailable, std::nullopt};
}

}  // namespace bulwark::protocol

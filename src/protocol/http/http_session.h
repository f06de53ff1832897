// One HTTP/1.1 connection: reads requests with Beast's parser under the [http] limits, authenticates them
// (Basic, RFC 7617, through the shared login throttle), runs the router on the blocking pool and writes the
// responses, keeping the connection open between requests until a limit, an error or the client ends it.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "net/connection.h"
#include "protocol/http/http_message.h"
#include "protocol/http/http_router.h"
#include "protocol/http/request_rate_limiter.h"
#include "protocol/services.h"

namespace bulwark::protocol::http {

class HttpSession {
 public:
  HttpSession(std::shared_ptr<net::Connection> connection, Services& services, HttpRouter& router,
              RequestRateLimiter& rate_limiter);
  net::awaitable<void> run();

 private:
  struct Incoming;  // a read request or why it could not be read (http_session.cpp)
  net::awaitable<Incoming> read_request();
  net::awaitable<HttpResponse> respond(HttpRequest request);
  // The principal for the request's credentials, or the response refusing them.
  net::awaitable<HttpResponse> authenticate(const HttpRequest& request, std::optional<store::Principal>& who);
  net::awaitable<bool> send(const HttpResponse& response, bool head_only, bool keep_alive);
  bool is_auth_allowed() const;

  std::shared_ptr<net::Connection> connection_;
  Services& services_;
  HttpRouter& router_;
  RequestRateLimiter& rate_limiter_;
  std::shared_ptr<const Config> config_;
  std::string pending_;  // bytes read past the end of the previous request (pipelining)
  // The last Authorization header that succeeded on this connection and its principal: later requests with the
  // same header skip the (deliberately slow) password check.
  std::string cached_authorization_;
  std::optional<store::Principal> cached_principal_;
};

}  // namespace bulwark::protocol::http

// The HTTP front-end for the `http` and `https` listeners (https is TLS from the first byte, done by net::Server):
// one HttpSession per connection, HTTP/1.1 with keep-alive, Basic authentication (only over TLS, or on loopback
// when allow_plaintext_auth_on_loopback), limits from [http]. Requests go to an HttpRouter (the DAV front-end).
#pragma once

#include <memory>

#include "net/connection.h"
#include "protocol/http/http_router.h"
#include "protocol/http/request_rate_limiter.h"
#include "protocol/services.h"

namespace bulwark::protocol::http {

class HttpHandler final : public net::ProtocolHandler {
 public:
  HttpHandler(Services& services, std::shared_ptr<HttpRouter> router)
      : services_(services), router_(std::move(router)) {}
  net::awaitable<void> serve(std::shared_ptr<net::Connection> connection) override;
  std::string refusal_line(std::string_view reason) const override;

 private:
  Services& services_;
  std::shared_ptr<HttpRouter> router_;
  RequestRateLimiter rate_limiter_;
};

}  // namespace bulwark::protocol::http

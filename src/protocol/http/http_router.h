// What the HTTP session hands an authenticated request to: a synchronous handler, run on the blocking pool
// (it calls the store, libical and expat). The DAV front-end (protocol/dav) is the one implementation.
#pragma once

#include "domain/auth/principal.h"
#include "protocol/http/http_message.h"

namespace bulwark::protocol::http {

class HttpRouter {
 public:
  virtual ~HttpRouter() = default;
  // Requests that need no login (service discovery redirects); nullopt: authenticate first.
  virtual std::optional<HttpResponse> handle_anonymous(const HttpRequest& request) = 0;
  virtual HttpResponse handle(const HttpRequest& request, const domain::auth::Principal& who) = 0;
};

}  // namespace bulwark::protocol::http

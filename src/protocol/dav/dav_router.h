// The CalDAV / CardDAV front-end behind the HTTP session: RFC 4918 WebDAV methods as CalDAV (RFC 4791) and
// CardDAV (RFC 6352) use them, sync-collection (RFC 6578), current-user-principal (RFC 5397) and service
// discovery (RFC 6764). Synchronous: the session runs it on the blocking pool. Every store call carries the
// principal; the store decides what it may see.
#pragma once

#include "protocol/http/http_router.h"
#include "protocol/services.h"
#include "store/dav_store.h"

namespace bulwark::protocol::dav {

class DavRouter final : public http::HttpRouter {
 public:
  DavRouter(Services& services, store::DavStore& store) : services_(services), store_(store) {}
  std::optional<http::HttpResponse> handle_anonymous(const http::HttpRequest& request) override;
  http::HttpResponse handle(const http::HttpRequest& request, const store::Principal& who) override;

 private:
  Services& services_;
  store::DavStore& store_;
};

}  // namespace bulwark::protocol::dav

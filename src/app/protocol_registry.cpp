#include "app/protocol_registry.h"

#include "protocol/dav/dav_router.h"
#include "protocol/http/http_handler.h"
#ifndef BULWARK_WITHOUT_IMAP
#include "protocol/imap/imap_handler.h"
#endif
#include "protocol/smtp/smtp_handler.h"

namespace bulwark::app {

std::shared_ptr<net::ProtocolHandler> make_handler(Protocol protocol, protocol::Services& services) {
  switch (protocol) {
    case Protocol::smtp:
    case Protocol::submission:
    case Protocol::submissions: return std::make_shared<protocol::smtp::SmtpHandler>(services);
#ifndef BULWARK_WITHOUT_IMAP
    case Protocol::imap:
    case Protocol::imaps: return std::make_shared<protocol::imap::ImapHandler>(services);
#endif
    case Protocol::http:
    case Protocol::https:
      if (!services.dav) return nullptr;
      return std::make_shared<protocol::http::HttpHandler>(
          services, std::make_shared<protocol::dav::DavRouter>(services, *services.dav));
    default: return nullptr;
  }
}

}  // namespace bulwark::app

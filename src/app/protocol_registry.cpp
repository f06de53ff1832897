#include "app/protocol_registry.h"

#include "protocol/dav/dav_router.h"
#include "protocol/http/http_handler.h"
#include "protocol/imap/imap_handler.h"
#include "protocol/smtp/smtp_handler.h"

namespace bulwark::app {

std::shared_ptr<net::ProtocolHandler> make_handler(Protocol protocol, protocol::Services& services) {
  switch (protocol) {
    case Protocol::smtp:
    case Protocol::submission:
    case Protocol::submissions: return std::make_shared<protocol::smtp::SmtpHandler>(services);
    case Protocol::imap:
    case Protocol::imaps: return std::make_shared<protocol::imap::ImapHandler>(services);
    case Protocol::http:
    case Protocol::https:
      if (!services.dav) return nullptr;
      return std::make_shared<protocol::http::HttpHandler>(
          services, std::make_shared<protocol::dav::DavRouter>(services, *services.dav));
    default: return nullptr;
  }
}

}  // namespace bulwark::app

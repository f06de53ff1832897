#include "app/protocol_registry.h"

#include "protocol/smtp/smtp_handler.h"

namespace bulwark::app {

std::shared_ptr<net::ProtocolHandler> make_handler(Protocol protocol, protocol::Services& services) {
  switch (protocol) {
    case Protocol::smtp:
    case Protocol::submission:
    case Protocol::submissions: return std::make_shared<protocol::smtp::SmtpHandler>(services);
    default: return nullptr;
  }
}

}  // namespace bulwark::app

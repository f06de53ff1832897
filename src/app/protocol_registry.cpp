#include "app/protocol_registry.h"

namespace bulwark::app {

std::shared_ptr<net::ProtocolHandler> make_handler(Protocol protocol, protocol::Services& services) {
  (void)services;
  switch (protocol) {
    default: return nullptr;
  }
}

}  // namespace bulwark::app

// Which front-end serves which [listen] protocol. The one place a new protocol is wired in.
#pragma once

#include <memory>

#include "base/config.h"
#include "net/connection.h"
#include "protocol/services.h"

namespace bulwark::app {

// nullptr when this build has no front-end for the protocol yet.
std::shared_ptr<net::ProtocolHandler> make_handler(Protocol protocol, protocol::Services& services);

}  // namespace bulwark::app

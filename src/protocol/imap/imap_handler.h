// The IMAP front-end for the `imap` (STARTTLS) and `imaps` (implicit TLS) listeners: one ImapSession per
// connection (imap_session.h).
#pragma once

#include <memory>

#include "net/connection.h"
#include "protocol/services.h"

namespace bulwark::protocol::imap {

class ImapHandler final : public net::ProtocolHandler {
 public:
  explicit ImapHandler(Services& services) : services_(services) {}
  net::awaitable<void> serve(std::shared_ptr<net::Connection> connection) override;
  std::string refusal_line(std::string_view reason) const override;

 private:
  Services& services_;
};

}  // namespace bulwark::protocol::imap

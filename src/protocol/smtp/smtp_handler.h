// The SMTP front-end for the `smtp`, `submission` and `submissions` listeners: one SmtpSession per connection.
// Owns what the sessions of one listener share (the per-IP message rate limit, the message counter).
#pragma once

#include <memory>
#include <string>

#include "net/connection.h"
#include "protocol/services.h"
#include "protocol/smtp/smtp_session.h"

namespace bulwark::protocol::smtp {

class SmtpHandler final : public net::ProtocolHandler {
 public:
  explicit SmtpHandler(Services& services) : services_(services) {}

  net::awaitable<void> serve(std::shared_ptr<net::Connection> connection) override;
  // "421 4.7.0 <host> <reason>\r\n" (RFC 5321 3.8: 421 before closing).
  std::string refusal_line(std::string_view reason) const override;

 private:
  Services& services_;
  SessionShared shared_;
};

}  // namespace bulwark::protocol::smtp

#include "protocol/smtp/smtp_handler.h"

namespace bulwark::protocol::smtp {

net::awaitable<void> SmtpHandler::serve(std::shared_ptr<net::Connection> connection) {
  SmtpSession session(std::move(connection), services_, shared_);
  co_await session.run();
}

std::string SmtpHandler::refusal_line(std::string_view reason) const {
  return "421 4.7.0 " + services_.config.get()->hostname + " " + std::string(reason) + "\r\n";
}

}  // namespace bulwark::protocol::smtp

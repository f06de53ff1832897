#include "protocol/imap/imap_handler.h"

#include "protocol/imap/imap_session.h"

namespace bulwark::protocol::imap {

net::awaitable<void> ImapHandler::serve(std::shared_ptr<net::Connection> connection) {
  ImapSession session(std::move(connection), services_);
  co_await session.run();
}

std::string ImapHandler::refusal_line(std::string_view reason) const {
  return "* BYE " + std::string(reason) + "\r\n";
}

}  // namespace bulwark::protocol::imap

#include "protocol/http/http_handler.h"

#include "protocol/http/http_session.h"

namespace bulwark::protocol::http {

net::awaitable<void> HttpHandler::serve(std::shared_ptr<net::Connection> connection) {
  HttpSession session(std::move(connection), services_, *router_, rate_limiter_);
  co_await session.run();
}

std::string HttpHandler::refusal_line(std::string_view reason) const {
  std::string body = std::string(reason) + "\n";
  return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

}  // namespace bulwark::protocol::http

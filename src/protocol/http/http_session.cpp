// The only translation unit that includes Beast (compile time: see toolchain-notes). Beast is used for what it
// is good at, parsing HTTP/1.1 requests under header and body limits; the bytes come from net::Stream, so TLS,
// deadlines and shutdown work as for every other protocol.
#include "protocol/http/http_session.h"

#include <algorithm>
#include <cctype>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "base/log.h"
#include "parse/sasl/base64.h"
#include "protocol/login/password_login.h"

namespace bulwark::protocol::http {
namespace beast_http = boost::beast::http;

namespace {

constexpr std::size_t kReadChunk = 64 * 1024;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

HttpResponse unauthorized() {
  auto r = HttpResponse::text(401, "Authentication required\n");
  r.with("WWW-Authenticate", "Basic realm=\"Bulwark\", charset=\"UTF-8\"");
  return r;
}

}  // namespace

struct HttpSession::Incoming {
  std::optional<HttpRequest> request;
  std::optional<HttpResponse> error;  // answer this, then close
  bool keep_alive = true;
};

HttpSession::HttpSession(std::shared_ptr<net::Connection> connection, Services& services, HttpRouter& router,
                         RequestRateLimiter& rate_limiter)
    : connection_(std::move(connection)),
      services_(services),
      router_(router),
      rate_limiter_(rate_limiter),
      config_(services.config.get()) {}

bool HttpSession::is_auth_allowed() const {
  return connection_->stream.is_tls() || (connection_->info.is_loopback && config_->allow_plaintext_auth_on_loopback);
}

net::awaitable<HttpSession::Incoming> HttpSession::read_request() {
  const auto& limits = config_->http;
  beast_http::request_parser<beast_http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits.max_header_bytes, UINT32_MAX)));
  parser.body_limit(limits.max_body_bytes);
  parser.eager(true);
  // Waiting for a request to start: the keep-alive timeout; once it started, the whole request must arrive
  // within request_timeout (a slowloris client cannot hold the connection with one byte a minute).
  auto deadline = connection_->deadline(limits.keepalive_timeout);
  bool started = !pending_.empty();
  if (started) deadline = connection_->deadline(limits.request_timeout);
  bool sent_continue = false;
  Incoming in;
  for (;;) {
    if (!pending_.empty()) {
      boost::beast::error_code ec;
      std::size_t used = parser.put(boost::asio::buffer(pending_), ec);
      pending_.erase(0, used);
      if (ec == beast_http::error::need_more) {
        ec = {};
      } else if (ec) {
        if (ec == beast_http::error::header_limit) {
          in.error = HttpResponse::text(431, "Request header fields too large\n");
        } else if (ec == beast_http::error::body_limit) {
          in.error = HttpResponse::text(413, "Request body too large\n");
        } else {
          in.error = HttpResponse::text(400, "Malformed HTTP request\n");
        }
        co_return in;
      }
      if (parser.is_done()) break;
      if (used > 0 && !pending_.empty()) continue;
    }
    if (parser.is_header_done() && !sent_continue) {
      sent_continue = true;
      const auto& header = parser.get();
      auto expect = header.find(beast_http::field::expect);
      if (expect != header.end() && lower(expect->value()) == "100-continue" && pending_.empty()) {
        auto status = co_await connection_->stream.write("HTTP/1.1 100 Continue\r\n\r\n", deadline);
        if (!status) co_return in;
      }
    }
    auto chunk = co_await connection_->reader.read_chunk(kReadChunk, deadline);
    if (!chunk) {
      if (chunk.error() == net::IoError::timeout && started) in.error = HttpResponse::text(408, "Request timeout\n");
      co_return in;
    }
    if (!started) {
      started = true;
      deadline = connection_->deadline(limits.request_timeout);
    }
    pending_.append(chunk->data(), chunk->size());
  }
  auto message = parser.release();
  if (message.version() != 11 && message.version() != 10) {
    in.error = HttpResponse::text(505, "HTTP version not supported\n");
    co_return in;
  }
  HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    auto name = lower(field.name_string());
    auto [it, inserted] = request.headers.emplace(name, std::string(field.value()));
    if (!inserted) it->second += ", " + std::string(field.value());
  }
  request.body = std::move(message.body());
  request.is_tls = connection_->stream.is_tls();
  in.keep_alive = message.keep_alive();
  in.request = std::move(request);
  co_return in;
}

net::awaitable<HttpResponse> HttpSession::authenticate(const HttpRequest& request,
                                                       std::optional<store::Principal>& who) {
  auto header = request.header("authorization");
  if (!header) co_return unauthorized();
  if (!is_auth_allowed()) {
    connection_->log.warn("HTTP Basic refused without TLS");
    co_return HttpResponse::text(403, "Basic authentication needs TLS: use https\n");
  }
  if (cached_principal_ && *header == cached_authorization_) {
    who = cached_principal_;
    co_return HttpResponse{};
  }
  std::string_view value = *header;
  if (value.size() < 6 || lower(value.substr(0, 6)) != "basic ") co_return unauthorized();
  auto decoded = parse::sasl::base64_decode(value.substr(6));
  if (!decoded) co_return HttpResponse::text(400, "Malformed Authorization header\n");
  auto colon = decoded->find(':');
  if (colon == std::string::npos) co_return HttpResponse::text(400, "Malformed Authorization header\n");
  std::string login = decoded->substr(0, colon);
  std::string password = decoded->substr(colon + 1);
  std::string mechanism = "HTTP Basic";
  auto result = co_await password_login(services_, *connection_, std::move(mechanism), std::move(login),
                                        std::move(password));
  switch (result.outcome) {
    case LoginOutcome::success: break;
    case LoginOutcome::banned: {
      auto r = HttpResponse::text(429, "Too many failed logins; try again later\n");
      r.close = true;
      co_return r;
    }
    case LoginOutcome::invalid: co_return unauthorized();
    case LoginOutcome::unavailable: co_return HttpResponse::text(503, "Authentication temporarily unavailable\n");
  }
  cached_authorization_ = std::string(*header);
  cached_principal_ = *result.principal;
  who = std::move(*result.principal);
  co_return HttpResponse{};
}

net::awaitable<HttpResponse> HttpSession::respond(HttpRequest request) {
  if (!rate_limiter_.allow(connection_->info.peer_ip, config_->http.max_requests_per_minute_per_ip,
                           RequestRateLimiter::Clock::now())) {
    auto r = HttpResponse::text(429, "Too many requests\n");
    r.with("Retry-After", "60");
    co_return r;
  }
  HttpRouter& router = router_;
  auto anonymous = router.handle_anonymous(request);
  if (anonymous) co_return std::move(*anonymous);
  std::optional<store::Principal> who;
  auto refusal = co_await authenticate(request, who);
  if (!who) co_return refusal;
  const store::Principal principal = *who;
  auto job = [&router, request = std::move(request), principal] { return router.handle(request, principal); };
  co_return co_await net::run_blocking(connection_->blocking, std::move(job));
}

net::awaitable<bool> HttpSession::send(const HttpResponse& response, bool head_only, bool keep_alive) {
  auto bytes = serialize(response, head_only, keep_alive);
  auto status = co_await connection_->stream.write(bytes, connection_->deadline(config_->http.request_timeout));
  co_return status.has_value();
}

net::awaitable<void> HttpSession::run() {
  for (std::size_t served = 0;;) {
    config_ = services_.config.get();
    auto in = co_await read_request();
    if (!in.request) {
      if (in.error) {
        connection_->log.info("HTTP request refused: {}", in.error->status);
        (void)co_await send(*in.error, false, false);
      }
      co_return;
    }
    ++served;
    const bool head_only = in.request->method == "HEAD";
    const std::string method = in.request->method;
    const std::string target = log::sanitize(in.request->target);
    HttpRequest request = std::move(*in.request);
    auto response = co_await respond(std::move(request));
    const bool keep_alive = in.keep_alive && !response.close && served < config_->http.max_requests_per_connection;
    connection_->log.info("{} {} -> {}", method, target, response.status);
    if (!co_await send(response, head_only, keep_alive) || !keep_alive) co_return;
  }
}

}  // namespace bulwark::protocol::http

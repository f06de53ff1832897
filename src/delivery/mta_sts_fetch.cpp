#include "delivery/mta_sts_fetch.h"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fmt/format.h>
#include <openssl/ssl.h>

#include "delivery/address_class.h"
#include "delivery/tls_policy.h"

namespace bulwark::delivery {
namespace {

namespace asio = net::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr std::size_t kMaxHeaderBytes = 16 * 1024;

bool is_text_plain(std::string_view content_type) {
  auto semi = content_type.find(';');
  std::string_view type = content_type.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return beast::iequals(type, "text/plain");
}

}  // namespace

net::awaitable<Result<std::string>> fetch_mta_sts_policy(PolicyFetch f) {
  const std::string host = "mta-sts." + f.domain;
  std::string chosen;
  std::string refused;
  for (const auto& a : f.addresses) {
    auto kind = classify_address(a);
    if (kind == AddressClass::global || f.allow_private_addresses) {
      chosen = a;
      break;
    }
    refused += fmt::format("{}{} ({})", refused.empty() ? "" : ", ", a, address_class_name(kind));
  }
  if (chosen.empty()) {
    if (refused.empty()) co_return fail(Errc::temporary_failure, host + " has no address");
    co_return fail(Errc::permission_denied, "refused to fetch from " + host + ": not a public address: " + refused);
  }
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(chosen, ec);
  if (ec) co_return fail(Errc::temporary_failure, host + ": bad address " + chosen);

  auto executor = co_await asio::this_coro::executor;
  beast::ssl_stream<beast::tcp_stream> stream(executor, *f.tls);
  SSL* ssl = stream.native_handle();
  SSL_set_tlsext_host_name(ssl, host.c_str());
  expect_peer_identity(ssl, host);
  // One deadline for the whole exchange: the tcp_stream's timer covers every operation below.
  beast::get_lowest_layer(stream).expires_after(f.timeout);
  const net::tcp::endpoint endpoint(ip, f.port);
  auto [connect_ec] = co_await beast::get_lowest_layer(stream).async_connect(endpoint, net::use_tuple);
  if (connect_ec) co_return fail(Errc::temporary_failure, fmt::format("cannot connect to {}[{}]:{}: {}", host, chosen, f.port, connect_ec.message()));
  auto [handshake_ec] = co_await stream.async_handshake(asio::ssl::stream_base::client, net::use_tuple);
  if (handshake_ec) {
    auto why = peer_verification_error(ssl);
    co_return fail(Errc::temporary_failure, fmt::format("TLS with {} failed: {}", host, why ? *why : handshake_ec.message()));
  }
  http::request<http::empty_body> request{http::verb::get, "/.well-known/mta-sts.txt", 11};
  request.set(http::field::host, f.port == 443 ? host : fmt::format("{}:{}", host, f.port));
  request.set(http::field::user_agent, "Bulwark");
  request.set(http::field::connection, "close");
  auto [write_ec, written] = co_await http::async_write(stream, request, net::use_tuple);
  (void)written;
  if (write_ec) co_return fail(Errc::temporary_failure, host + ": cannot send the request: " + write_ec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.header_limit(kMaxHeaderBytes);
  parser.body_limit(f.max_bytes);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, net::use_tuple);
  (void)read;
  if (read_ec == http::error::body_limit) {
    co_return fail(Errc::too_big, fmt::format("{}: policy larger than {} bytes", host, f.max_bytes));
  }
  if (read_ec) co_return fail(Errc::temporary_failure, host + ": cannot read the response: " + read_ec.message());
  const auto& response = parser.get();
  if (response.result() != http::status::ok) {
    // RFC 8461 3.3: "HTTP 3xx redirects MUST NOT be followed".
    co_return fail(Errc::temporary_failure, fmt::format("{}: HTTP status {} (not 200; redirects are not followed)",
                                                        host, response.result_int()));
  }
  if (!is_text_plain(response[http::field::content_type])) {
    co_return fail(Errc::temporary_failure, host + ": policy is not text/plain");
  }
  beast::error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(net::tcp::socket::shutdown_both, ignored);
  co_return response.body();
}

}  // namespace bulwark::delivery

#include "delivery/client_stream.h"

#include <openssl/ssl.h>

#include "delivery/tls_policy.h"

namespace bulwark::delivery {
namespace {

using namespace net::asio::experimental::awaitable_operators;
namespace asio = net::asio;

constexpr std::size_t kReadSize = 16 * 1024;

net::IoError classify(const boost::system::error_code& ec) {
  if (ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
      ec == asio::ssl::error::stream_truncated) {
    return net::IoError::closed;
  }
  return net::IoError::failed;
}

}  // namespace

ClientStream::ClientStream(net::tcp::socket socket) : socket_(std::move(socket)), timer_(socket_.get_executor()) {}

ClientStream::~ClientStream() = default;

void ClientStream::close() {
  boost::system::error_code ignored;
  socket_.shutdown(net::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

net::awaitable<net::IoResult<std::size_t>> ClientStream::read_some(Clock::time_point deadline) {
  if (Clock::now() >= deadline) co_return tl::unexpected(net::IoError::timeout);
  timer_.expires_at(deadline);
  auto old = buffer_.size();
  buffer_.resize(old + kReadSize);
  auto target = asio::buffer(buffer_.data() + old, kReadSize);
  std::variant<std::tuple<boost::system::error_code, std::size_t>, std::tuple<boost::system::error_code>> result;
  if (tls_) result = co_await (tls_->async_read_some(target, net::use_tuple) || timer_.async_wait(net::use_tuple));
  else result = co_await (socket_.async_read_some(target, net::use_tuple) || timer_.async_wait(net::use_tuple));
  if (result.index() == 1) {
    buffer_.resize(old);
    co_return tl::unexpected(net::IoError::timeout);
  }
  auto [ec, n] = std::get<0>(result);
  buffer_.resize(old + n);
  if (ec) co_return tl::unexpected(classify(ec));
  co_return n;
}

net::awaitable<net::IoResult<std::string>> ClientStream::read_line(std::size_t max_line, Clock::time_point deadline) {
  for (;;) {
    auto lf = buffer_.find('\n');
    if (lf != std::string::npos) {
      std::string line = buffer_.substr(0, lf);
      buffer_.erase(0, lf + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.size() > max_line) co_return tl::unexpected(net::IoError::failed);
      co_return line;
    }
    if (buffer_.size() > max_line + 2) co_return tl::unexpected(net::IoError::failed);
    auto n = co_await read_some(deadline);
    if (!n) co_return tl::unexpected(n.error());
  }
}

net::awaitable<net::IoStatus> ClientStream::write(std::string_view data, Clock::time_point deadline) {
  if (Clock::now() >= deadline) co_return tl::unexpected(net::IoError::timeout);
  timer_.expires_at(deadline);
  std::variant<std::tuple<boost::system::error_code, std::size_t>, std::tuple<boost::system::error_code>> result;
  if (tls_) result = co_await (asio::async_write(*tls_, asio::buffer(data), net::use_tuple) || timer_.async_wait(net::use_tuple));
  else result = co_await (asio::async_write(socket_, asio::buffer(data), net::use_tuple) || timer_.async_wait(net::use_tuple));
  if (result.index() == 1) co_return tl::unexpected(net::IoError::timeout);
  auto [ec, n] = std::get<0>(result);
  if (ec) co_return tl::unexpected(classify(ec));
  co_return net::IoStatus{};
}

net::awaitable<net::IoStatus> ClientStream::start_tls(std::shared_ptr<asio::ssl::context> context,
                                                      std::string server_name, Clock::time_point deadline) {
  buffer_.clear();
  context_ = std::move(context);
  tls_ = std::make_unique<asio::ssl::stream<net::tcp::socket&>>(socket_, *context_);
  if (!server_name.empty()) SSL_set_tlsext_host_name(tls_->native_handle(), server_name.c_str());
  if (!expected_peer_.empty()) expect_peer_identity(tls_->native_handle(), expected_peer_);
  if (tls_setup_ && !tls_setup_(tls_->native_handle())) co_return tl::unexpected(net::IoError::failed);
  if (Clock::now() >= deadline) co_return tl::unexpected(net::IoError::timeout);
  timer_.expires_at(deadline);
  auto result = co_await (tls_->async_handshake(asio::ssl::stream_base::client, net::use_tuple) ||
                          timer_.async_wait(net::use_tuple));
  if (result.index() == 1) co_return tl::unexpected(net::IoError::timeout);
  auto [ec] = std::get<0>(result);
  if (ec) co_return tl::unexpected(net::IoError::failed);
  co_return net::IoStatus{};
}

std::optional<std::string> ClientStream::verification_error() const {
  if (!tls_) return std::string("no TLS");
  if (expected_peer_.empty()) return std::string("no name to verify");
  return peer_verification_error(const_cast<asio::ssl::stream<net::tcp::socket&>&>(*tls_).native_handle());
}

std::string ClientStream::tls_description() const {
  if (!tls_) return {};
  SSL* ssl = const_cast<asio::ssl::stream<net::tcp::socket&>&>(*tls_).native_handle();
  std::string out = SSL_get_version(ssl);
  if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl)) {
    out += " with cipher ";
    out += SSL_CIPHER_get_name(cipher);
  }
  return out;
}

}  // namespace bulwark::delivery

// The byte stream of one outbound SMTP connection: TCP, upgraded to TLS as a client after STARTTLS (with SNI),
// CRLF line reading bounded by max_line, and a deadline on every read and write. Expected network outcomes are
// values (net::IoError), never exceptions. net::Stream is the server side's counterpart; this one is kept
// separate so the delivery worker adds no code to every accepted connection's path.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/asio.h"
#include "net/stream.h"

namespace bulwark::delivery {

class ClientStream {
 public:
  using Clock = net::Stream::Clock;

  explicit ClientStream(net::tcp::socket socket);
  ~ClientStream();
  ClientStream(const ClientStream&) = delete;
  ClientStream& operator=(const ClientStream&) = delete;

  // One line without its CRLF (or bare LF); IoError::failed when longer than max_line.
  net::awaitable<net::IoResult<std::string>> read_line(std::size_t max_line, Clock::time_point deadline);
  net::awaitable<net::IoStatus> write(std::string_view data, Clock::time_point deadline);
  // Client TLS handshake; `server_name` goes in SNI. Buffered plaintext is dropped first (RFC 3207 4.2).
  net::awaitable<net::IoStatus> start_tls(std::shared_ptr<net::asio::ssl::context> context, std::string server_name,
                                          Clock::time_point deadline);

  // Set before start_tls: the name (or IP literal) the server certificate is checked against (tls_policy.h).
  void expect_peer(std::string name) { expected_peer_ = std::move(name); }
  // After start_tls with expect_peer: nullopt when the certificate verified, else why not.
  std::optional<std::string> verification_error() const;
  // Runs on the new SSL object before the next start_tls handshake (e.g. DANE, delivery/dane.h); returning
  // false aborts the handshake with IoError::failed.
  void set_tls_setup(std::function<bool(SSL*)> setup) { tls_setup_ = std::move(setup); }
  // The TLS session after start_tls (also after a failed handshake, for its verify result); null before.
  SSL* tls_handle() const { return tls_ ? tls_->native_handle() : nullptr; }

  bool is_tls() const { return tls_ != nullptr; }
  std::string tls_description() const;  // "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384"
  void close();

 private:
  net::awaitable<net::IoResult<std::size_t>> read_some(Clock::time_point deadline);

  net::tcp::socket socket_;
  std::shared_ptr<net::asio::ssl::context> context_;
  std::unique_ptr<net::asio::ssl::stream<net::tcp::socket&>> tls_;
  net::asio::steady_timer timer_;
  std::string buffer_;
  std::string expected_peer_;
  std::function<bool(SSL*)> tls_setup_;
};

}  // namespace bulwark::delivery

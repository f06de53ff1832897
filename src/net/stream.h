// A client connection's byte stream: plain TCP that can be upgraded to TLS (STARTTLS) or is TLS from the first
// byte. Every read and write has a deadline; expected network outcomes (EOF, reset, timeout, shutdown) are
// values, never exceptions.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "net/asio.h"

namespace bulwark::net {

enum class IoError {
  closed,    // EOF or reset by the peer
  timeout,   // the deadline passed
  shutdown,  // the server is stopping: say goodbye and return
  failed,    // any other error (TLS failure, ...)
};
std::string_view io_error_name(IoError error);

template <class T>
using IoResult = tl::expected<T, IoError>;
using IoStatus = tl::expected<void, IoError>;

class DeflateCodec;

class Stream {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Stream(tcp::socket socket);
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  awaitable<IoResult<std::size_t>> read_some(asio::mutable_buffer buffer, Clock::time_point deadline);
  awaitable<IoStatus> write(std::string_view data, Clock::time_point deadline);
  // Server-side TLS handshake on this connection (implicit TLS, or after STARTTLS was answered).
  awaitable<IoStatus> start_tls(std::shared_ptr<asio::ssl::context> context, Clock::time_point deadline);

  bool is_tls() const { return tls_ != nullptr; }
  // From now on both directions are raw-deflate compressed (IMAP COMPRESS=DEFLATE, RFC 4978), above TLS if any.
  // Call only when no read is buffered above the stream (the caller drops what it had read ahead).
  void start_deflate();
  bool is_compressed() const { return deflate_ != nullptr; }
  // Ends a pending read early with IoError::timeout, as if its deadline had passed (IMAP IDLE wakes up to report
  // a change at once). Does nothing when no read is pending: writes are never cut short. Call on the stream's
  // executor.
  void wake_reader();
  // "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384", for Received: headers and logs.
  std::string tls_description() const;
  // Wakes a pending read or write with IoError::shutdown. Call on the stream's executor.
  void interrupt();
  void close();
  tcp::socket& socket() { return socket_; }

 private:
  template <class Op>
  awaitable<IoResult<std::size_t>> with_deadline(Op op, Clock::time_point deadline);
  awaitable<IoResult<std::size_t>> raw_read_some(asio::mutable_buffer buffer, Clock::time_point deadline);
  awaitable<IoStatus> raw_write(std::string_view data, Clock::time_point deadline);
  awaitable<std::tuple<boost::system::error_code, std::size_t>> handshake();

  // The deadline watchdog. Each operation in flight records its deadline here; one timer, armed only when the
  // new deadline is earlier than the one it already waits for, cancels the socket's operations when the
  // deadline passes. (Racing every operation against the timer with Asio's `||` spawned two coroutines and
  // re-armed the timer for each read and write that had to wait: two timerfd syscalls and extra scheduler
  // rounds per command.) Shared with the timer's handler, which may run after the stream is gone.
  enum class Cut { none, deadline, interrupt, wake };
  struct Watch {
    Stream* stream = nullptr;  // null once the stream is destroyed
    Clock::time_point deadline = Clock::time_point::max();  // of the operation in flight; max: none
    Clock::time_point armed = Clock::time_point::max();     // the pending timer wait's expiry; max: none
    std::uint64_t generation = 0;                           // of the pending timer wait (older ones are stale)
    Cut cut = Cut::none;                                    // why the operation in flight was cancelled
  };
  void arm_watch();
  static void on_watch_timer(const std::shared_ptr<Watch>& watch, std::uint64_t generation);
  void cut_operation(Cut why);

  tcp::socket socket_;
  std::shared_ptr<asio::ssl::context> tls_context_;  // kept alive while the stream uses it (SIGHUP may replace it)
  std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls_;
  asio::steady_timer timer_;
  std::shared_ptr<Watch> watch_;
  bool interrupted_ = false;
  bool is_reading_ = false;
  std::unique_ptr<DeflateCodec> deflate_;
  std::string deflate_in_;   // compressed bytes read, being inflated
  std::string deflate_out_;  // compressed bytes being written
  bool may_have_inflated_output_ = false;  // the last inflate filled the caller's buffer: more may be pending
};

}  // namespace bulwark::net

// One accepted client connection as a protocol session sees it: the stream and its line reader, who the peer
// is, the log prefix, the deadlines, and the executor for blocking calls. Owned by the session coroutine.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "base/config.h"
#include "base/log.h"
#include "net/blocking.h"
#include "net/connection_limiter.h"
#include "net/line_reader.h"
#include "net/stream.h"

namespace bulwark::net {

class TlsManager;

struct ConnectionInfo {
  Protocol protocol = Protocol::smtp;
  std::uint64_t id = 0;
  std::string peer_ip;
  std::uint16_t peer_port = 0;
  std::string local_ip;
  std::uint16_t local_port = 0;
  bool is_loopback = false;
};

class Connection {
 public:
  Connection(tcp::socket socket, ConnectionInfo info, std::chrono::seconds session_timeout,
             std::shared_ptr<TlsManager> tls, BlockingExecutor blocking)
      : stream(std::move(socket)),
        reader(stream),
        info(std::move(info)),
        log(protocol_name(this->info.protocol), this->info.id,
            this->info.peer_ip + ":" + std::to_string(this->info.peer_port)),
        tls(std::move(tls)),
        blocking(blocking),
        session_deadline_(Stream::Clock::now() + session_timeout) {}

  // The deadline for the next read: `idle` from now, but never past the session's total time.
  Stream::Clock::time_point deadline(std::chrono::seconds idle) const {
    return std::min(Stream::Clock::now() + idle, session_deadline_);
  }

  Stream stream;
  LineReader reader;
  ConnectionInfo info;
  log::SessionLog log;
  std::shared_ptr<TlsManager> tls;
  BlockingExecutor blocking;
  std::optional<ConnectionLimiter::Ticket> ticket;

 private:
  Stream::Clock::time_point session_deadline_;
};

// A protocol front-end (smtp, imap, ...). serve() runs one session to its end.
class ProtocolHandler {
 public:
  virtual ~ProtocolHandler() = default;
  virtual awaitable<void> serve(std::shared_ptr<Connection> connection) = 0;
  // The line sent before closing a connection refused by a limit (e.g. "421 4.7.0 Too many connections\r\n").
  virtual std::string refusal_line(std::string_view reason) const = 0;
};

}  // namespace bulwark::net

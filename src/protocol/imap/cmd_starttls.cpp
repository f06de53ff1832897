// STARTTLS (RFC 9051 6.2.1) on the `imap` listener. Bytes the client pipelined after the command are dropped
// before the handshake, so nothing sent in the clear is executed inside TLS (CVE-2011-0411 class).
#include "net/tls_manager.h"
#include "protocol/imap/imap_session.h"

namespace bulwark::protocol::imap {

net::awaitable<Reply> ImapSession::on_starttls(parse::imap::Command command) {
  if (connection_->stream.is_tls()) co_return Reply::bad("TLS is already active");
  if (connection_->info.protocol != Protocol::imap || !connection_->tls) co_return Reply::bad("STARTTLS not available");
  write(tagged_line(command.tag, Reply::ok("Begin TLS negotiation now")));
  if (!co_await flush()) co_return Reply::sent();
  const auto dropped = connection_->reader.discard_buffered() + framer_.buffered_bytes();
  if (dropped > 0) connection_->log.warn("STARTTLS: dropped {} bytes sent before the TLS handshake", dropped);
  framer_ = parse::imap::CommandFramer(framer_.limits());
  auto status = co_await connection_->stream.start_tls(connection_->tls->current(),
                                                       net::Stream::Clock::now() + std::chrono::seconds(30));
  if (!status) {
    connection_->log.info("STARTTLS handshake failed: {}", net::io_error_name(status.error()));
    closing_ = true;
    co_return Reply::sent();
  }
  connection_->log.info("STARTTLS: {}", connection_->stream.tls_description());
  last_activity_ = net::Stream::Clock::now();
  co_return Reply::sent();
}

}  // namespace bulwark::protocol::imap

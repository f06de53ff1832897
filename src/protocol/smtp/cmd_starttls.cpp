// RFC 3207 STARTTLS. After "220 Ready to start TLS" every byte the client already sent in the clear is dropped
// (LineReader::discard_buffered), so commands pipelined behind STARTTLS are never executed inside TLS
// (CVE-2011-0411 class). After the handshake the session forgets everything learnt before it (RFC 3207 4.2):
// the client must send EHLO again.
#include "net/tls_manager.h"
#include "protocol/smtp/smtp_session.h"

namespace bulwark::protocol::smtp {

net::awaitable<void> SmtpSession::on_starttls() {
  if (is_tls()) { queue(replies::bad_sequence("TLS already active")); co_return co_await flush(); }
  auto context = connection_->tls ? connection_->tls->current() : nullptr;
  if (!context) { queue(replies::tls_unavailable()); co_return co_await flush(); }
  queue_raw("220 2.0.0 Ready to start TLS\r\n");
  co_await flush();
  if (closing_) co_return;
  const std::size_t dropped = connection_->reader.discard_buffered();
  if (dropped > 0) {
    connection_->log.warn("STARTTLS: dropped {} bytes sent in the clear after STARTTLS (command injection?)", dropped);
  } else {
    connection_->log.debug("STARTTLS: dropped 0 bytes");
  }
  auto status = co_await connection_->stream.start_tls(std::move(context), deadline());
  if (!status) {
    connection_->log.info("STARTTLS handshake failed: {}", net::io_error_name(status.error()));
    closing_ = true;
    co_return;
  }
  connection_->log.info("STARTTLS: {}", connection_->stream.tls_description());
  helo_.reset();
  esmtp_ = false;
  principal_.reset();
  transaction_.reset();
}

}  // namespace bulwark::protocol::smtp

// COMPRESS DEFLATE (RFC 4978): after the tagged OK (sent uncompressed), both directions are raw deflate, layered
// above TLS (net::Stream::start_deflate, net/deflate_codec.h). Once only: a second COMPRESS is NO
// [COMPRESSIONACTIVE]; other mechanisms are BAD. Bytes the client pipelined after the command cannot be
// compressed data (the client starts compressing only after the OK), so they are dropped, as after STARTTLS.
#include "protocol/imap/imap_session.h"

namespace bulwark::protocol::imap {

net::awaitable<Reply> ImapSession::on_compress(parse::imap::Command command) {
  const auto& args = std::get<parse::imap::CompressArgs>(command.args);
  if (args.mechanism != "DEFLATE") co_return Reply::bad("Unknown compression mechanism");
  if (connection_->stream.is_compressed()) co_return Reply::no("[COMPRESSIONACTIVE] DEFLATE is already active");
  write(tagged_line(command.tag, Reply::ok("DEFLATE active")));
  if (!co_await flush()) co_return Reply::sent();
  const auto dropped = connection_->reader.discard_buffered() + framer_.buffered_bytes();
  if (dropped > 0) connection_->log.warn("COMPRESS: dropped {} bytes sent before compression started", dropped);
  framer_ = parse::imap::CommandFramer(framer_.limits());
  connection_->stream.start_deflate();
  connection_->log.info("COMPRESS: DEFLATE active");
  co_return Reply::sent();
}

}  // namespace bulwark::protocol::imap

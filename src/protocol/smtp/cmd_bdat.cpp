// RFC 3030 BDAT (CHUNKING): exactly chunk-size octets follow the command, with no dot-stuffing and no
// terminator; LAST ends the message. The chunk is always consumed first, whatever the answer, so the command
// stream stays in step. Each chunk goes through the same MessageChecker rules as DATA (line length, NUL,
// bare CR/LF, size). Once a chunk is refused, later chunks of the transaction are refused too, until LAST
// or RSET.
#include "protocol/smtp/smtp_session.h"

namespace bulwark::protocol::smtp {

net::awaitable<void> SmtpSession::on_bdat(parse::smtp::Bdat bdat) {
  const bool usable = transaction_ && !transaction_->recipients.empty() && !transaction_->failed;
  if (usable && !transaction_->chunks) transaction_->chunks.emplace(message_policy());
  std::uint64_t remaining = bdat.chunk_size;
  while (remaining > 0) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, 64 * 1024));
    auto chunk = co_await connection_->reader.read_chunk(want, deadline());
    if (!chunk) {
      transaction_.reset();
      co_return co_await end_on(chunk.error(), "BDAT");
    }
    if (usable) transaction_->chunks->feed(*chunk, transaction_->body);
    remaining -= chunk->size();
  }
  if (!transaction_) { queue(replies::bad_sequence("Need MAIL command")); co_return co_await flush(); }
  if (transaction_->recipients.empty()) { queue(replies::no_valid_recipients()); co_return co_await flush(); }
  if (transaction_->failed) {
    if (bdat.is_last) transaction_.reset();
    { queue(replies::bdat_after_failure()); co_return co_await flush(); }
  }
  if (transaction_->chunks->report().too_big) {
    if (bdat.is_last) transaction_.reset();
    else transaction_->failed = true;
    { queue(replies::message_too_big()); co_return co_await flush(); }
  }
  if (!bdat.is_last) {
    { queue({250, "2.0.0", std::to_string(bdat.chunk_size) + " octets received"}); co_return co_await flush(); }
  }
  transaction_->chunks->finish(transaction_->body);
  auto report = transaction_->chunks->report();
  co_await accept_message(std::move(transaction_->body), report);
}

}  // namespace bulwark::protocol::smtp

// RFC 5321 4.1.1.4 DATA. The body is handed as it arrives (each line with its own ending, CRLF or bare LF)
// to parse::smtp::DataReader, which alone decides where the data ends: only <CRLF>.<CRLF>, so the
// SMTP smuggling variants (<LF>.<LF>, <CR>.<CR>, <LF>.<CRLF>) stay message content and are then refused or
// normalized by the bare line ending policy. The message is built in memory and stored only after the
// terminator: a client that disconnects mid-DATA leaves nothing behind.
#include "parse/smtp/data_reader.h"
#include "protocol/smtp/smtp_session.h"

namespace bulwark::protocol::smtp {

net::awaitable<void> SmtpSession::on_data() {
  if (!transaction_) { queue(replies::bad_sequence("Need MAIL command")); co_return co_await flush(); }
  if (transaction_->recipients.empty()) { queue(replies::no_valid_recipients()); co_return co_await flush(); }
  if (transaction_->chunks) { queue(replies::bad_sequence("DATA not allowed after BDAT")); co_return co_await flush(); }
  queue_raw("354 Start mail input; end with <CRLF>.<CRLF>\r\n");
  co_await flush();
  if (closing_) co_return;

  parse::smtp::DataReader reader(message_policy());
  std::string body;
  // Whatever has arrived goes to the DataReader at once: it takes input split anywhere and bounds the message
  // (line length, size), so the line reader's per-line copies are not needed here. Bytes after the terminator
  // stay buffered for the next command (PIPELINING).
  auto& input = connection_->reader;
  for (;;) {
    if (input.buffered() == 0) {
      auto more = co_await input.read_more(deadline());
      if (!more) {
        transaction_.reset();
        co_await end_on(more.error(), "DATA");
        co_return;
      }
    }
    auto fed = reader.feed(input.buffered_view(), body);
    input.consume(fed.consumed);
    if (fed.done) break;
  }
  co_await accept_message(std::move(body), reader.report());
}

}  // namespace bulwark::protocol::smtp

// RFC 5321 4.1.1.4 DATA. The body is read line by line (each line with its own ending, CRLF or bare LF, as it
// arrived) into parse::smtp::DataReader, which alone decides where the data ends: only <CRLF>.<CRLF>, so the
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
  // A line longer than the limit is truncated by the line reader; the checker still sees it as too long.
  const std::size_t max_line = config_->limits.max_line_bytes;
  for (;;) {
    auto line = co_await read_line(max_line, "DATA");
    if (!line) {
      transaction_.reset();
      co_return;
    }
    line->text += line->bare_lf ? "\n" : "\r\n";
    auto fed = reader.feed(line->text, body);
    if (fed.done) break;
  }
  co_await accept_message(std::move(body), reader.report());
}

}  // namespace bulwark::protocol::smtp

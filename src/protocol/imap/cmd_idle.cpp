// IDLE (RFC 9051 6.3.13, RFC 2177). While idling, the selected mailbox is polled every kIdlePollInterval and
// other sessions' changes are sent at once as EXISTS / EXPUNGE / FETCH. "DONE" ends it; anything else is BAD.
// The idle deadline (limits.idle_timeout) keeps running: a client must re-issue IDLE before it passes.
#include "parse/imap/command_parser.h"
#include "protocol/imap/imap_session.h"

namespace bulwark::protocol::imap {

net::awaitable<Reply> ImapSession::on_idle(parse::imap::Command) {
  write("+ idling\r\n");
  if (!co_await flush()) co_return Reply::sent();
  for (;;) {
    bool timed_out = false;
    std::optional<net::Stream::Clock::time_point> poll_at = net::Stream::Clock::now() + kIdlePollInterval;
    auto line = co_await read_command(poll_at, &timed_out);
    if (line) {
      if (parse::imap::is_idle_done(line->text)) co_return Reply::ok("IDLE terminated");
      co_return Reply::bad("Expected DONE");
    }
    if (!timed_out) co_return Reply::sent();  // the session is ending; the BYE is out
    if (selected_) {
      co_await report_changes();
      if (!co_await flush()) co_return Reply::sent();
      if (closing_) co_return Reply::sent();
    }
  }
}

}  // namespace bulwark::protocol::imap

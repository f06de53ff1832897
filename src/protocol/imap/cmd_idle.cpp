// IDLE (RFC 9051 6.3.13, RFC 2177). Other sessions' changes to the selected mailbox are sent at once as
// EXISTS / EXPUNGE (VANISHED with QRESYNC) / FETCH: a write by another session or an SMTP delivery in this
// process wakes the pending read through the change notifier (change_hub.h); writes by other processes are
// found by a poll every limits.imap_idle_poll. "DONE" ends it; anything else is BAD. The autologout deadline
// (limits.imap_idle_timeout) keeps running: a client must re-issue IDLE before it passes.
#include "parse/imap/command_parser.h"
#include "protocol/imap/imap_session.h"

namespace bulwark::protocol::imap {
namespace {

struct IdlingFlag {
  explicit IdlingFlag(bool& flag) : flag_(flag) { flag_ = true; }
  ~IdlingFlag() { flag_ = false; }
  IdlingFlag(const IdlingFlag&) = delete;
  IdlingFlag& operator=(const IdlingFlag&) = delete;
  bool& flag_;
};

}  // namespace

net::awaitable<Reply> ImapSession::on_idle(parse::imap::Command) {
  write("+ idling\r\n");
  if (!co_await flush()) co_return Reply::sent();
  IdlingFlag idling(is_idling_);
  for (;;) {
    if (changes_pending_ && selected_) {
      changes_pending_ = false;  // a change reported while we look is looked at on the next turn
      co_await report_changes();
      if (!co_await flush()) co_return Reply::sent();
      if (closing_) co_return Reply::sent();
      if (changes_pending_) continue;
    }
    bool timed_out = false;
    std::optional<net::Stream::Clock::time_point> poll_at =
        net::Stream::Clock::now() + config_->limits.imap_idle_poll;
    auto line = co_await read_command(poll_at, &timed_out);
    if (line) {
      if (parse::imap::is_idle_done(line->text)) co_return Reply::ok("IDLE terminated");
      co_return Reply::bad("Expected DONE");
    }
    if (!timed_out) co_return Reply::sent();  // the session is ending; the BYE is out
    changes_pending_ = true;  // woken by the notifier, or the fallback poll is due
  }
}

}  // namespace bulwark::protocol::imap

// EXPUNGE (RFC 9051 6.4.3) and UID EXPUNGE (6.4.9, RFC 4315 2.1): removes \Deleted messages and reports each
// with an EXPUNGE response whose number is valid at the moment it is sent, or with one VANISHED once QRESYNC is
// enabled (RFC 7162 3.2.10).
#include "protocol/imap/imap_session.h"

namespace bulwark::protocol::imap {

net::awaitable<Reply> ImapSession::on_expunge(parse::imap::Command command) {
  if (selected_->is_read_only) co_return Reply::no("[READ-ONLY] Mailbox is read-only");
  std::optional<std::vector<std::uint32_t>> only;
  if (command.name == parse::imap::CommandName::uid_expunge) {
    const auto& args = std::get<parse::imap::UidExpungeArgs>(command.args);
    auto resolved = resolve(args.sequence_set, true);
    if (!resolved) co_return Reply::bad(resolved.error().detail);
    if (resolved->empty()) co_return Reply::ok("EXPUNGE completed");
    only = std::move(*resolved);
  }
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  const auto ref = selected_->ref;
  auto job = [&mail, who, ref, only] { return mail.expunge(who, ref, only); };
  auto gone = co_await net::run_blocking(connection_->blocking, std::move(job));
  if (!gone) co_return store_error(gone.error(), "EXPUNGE");
  if (!gone->empty()) notify_changed(ref);
  report_expunged(*gone);
  co_return Reply::ok("EXPUNGE completed");
}

}  // namespace bulwark::protocol::imap

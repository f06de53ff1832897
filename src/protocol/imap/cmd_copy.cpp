// COPY, MOVE and their UID forms (RFC 9051 6.4.7, 6.4.8; RFC 4315 COPYUID). MOVE sends COPYUID in an untagged
// OK, then EXPUNGE for each moved message, as RFC 6851 3.3 describes.
#include "protocol/imap/imap_session.h"
#include "protocol/imap/response_format.h"

namespace bulwark::protocol::imap {

net::awaitable<Reply> ImapSession::on_copy(parse::imap::Command command) {
  using parse::imap::CommandName;
  const bool is_uid = command.is_uid();
  const bool is_move = command.name == CommandName::move || command.name == CommandName::uid_move;
  const char* what = is_move ? "MOVE" : "COPY";
  auto args = std::get<parse::imap::CopyArgs>(std::move(command.args));
  if (is_move && selected_->is_read_only) co_return Reply::no("[READ-ONLY] Mailbox is read-only");
  auto resolved = resolve(args.sequence_set, is_uid);
  if (!resolved) co_return Reply::bad(resolved.error().detail);
  auto name = mailbox_name(args.mailbox);
  if (!name) co_return Reply::bad(name.error().detail);
  std::vector<std::uint32_t> uids = std::move(*resolved);
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  const auto from = selected_->ref;
  store::MailboxRef target_ref;
  auto job = [&mail, who, from, uids, n = *name, is_move, &target_ref]() -> Result<store::MailStore::Copied> {
    auto target = mail.lookup_mailbox(who, who.account_id(), n);
    if (!target) {
      if (target.error().code == Errc::not_found) return fail(Errc::not_found, "TRYCREATE");
      return tl::unexpected(target.error());
    }
    target_ref = target->ref;
    if (uids.empty()) return store::MailStore::Copied{target->uid_validity, {}};
    return is_move ? mail.move(who, from, uids, target->ref) : mail.copy(who, from, uids, target->ref);
  };
  auto copied = co_await net::run_blocking(connection_->blocking, std::move(job));
  if (!copied) {
    if (copied.error().code == Errc::not_found) co_return Reply::no("[TRYCREATE] No such mailbox");
    co_return store_error(copied.error(), what);
  }
  std::string code;
  if (!copied->uids.empty()) {
    notify_changed(target_ref);
    if (is_move) notify_changed(from);
    std::vector<std::uint32_t> sources, targets;
    for (const auto& [source, target] : copied->uids) {
      sources.push_back(source);
      targets.push_back(target);
    }
    code = "[COPYUID " + std::to_string(copied->uid_validity) + " " + number_set(sources, false) + " " +
           number_set(targets, false) + "] ";
  }
  if (!is_move) co_return Reply::ok(code + "COPY completed");
  if (!code.empty()) untagged("OK " + code + "Moved");
  std::vector<std::uint32_t> moved;
  for (const auto& pair : copied->uids) moved.push_back(pair.first);
  report_expunged(moved);
  co_return Reply::ok("MOVE completed");
}

}  // namespace bulwark::protocol::imap

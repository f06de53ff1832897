// STORE and UID STORE (RFC 9051 6.4.6; RFC 7162 3.1.3 UNCHANGEDSINCE with [MODIFIED]). Without .SILENT every
// message of the set gets a FETCH with its current flags; UID STORE adds UID, CONDSTORE adds MODSEQ.
#include "protocol/imap/imap_session.h"
#include "protocol/imap/response_format.h"

namespace bulwark::protocol::imap {

net::awaitable<Reply> ImapSession::on_store(parse::imap::Command command) {
  const bool is_uid = command.is_uid();
  auto args = std::get<parse::imap::StoreArgs>(std::move(command.args));
  if (selected_->is_read_only) co_return Reply::no("[READ-ONLY] Mailbox is read-only");
  auto resolved = resolve(args.sequence_set, is_uid);
  if (!resolved) co_return Reply::bad(resolved.error().detail);
  std::vector<std::uint32_t> uids = std::move(*resolved);
  if (args.unchanged_since) condstore_enabled_ = true;
  store::FlagOp op = store::FlagOp::replace;
  if (args.mode == parse::imap::StoreMode::add) op = store::FlagOp::add;
  if (args.mode == parse::imap::StoreMode::remove) op = store::FlagOp::remove;
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  const auto ref = selected_->ref;
  std::vector<std::uint32_t> failed;
  if (!uids.empty()) {
    auto job = [&mail, who, ref, uids, op, flags = args.flags, since = args.unchanged_since,
                                      &failed] { return mail.update_flags(who, ref, uids, op, flags, since, &failed); };
    auto changes = co_await net::run_blocking(connection_->blocking, std::move(job));
    if (!changes) co_return store_error(changes.error(), "STORE");
    selected_->view.set_flags(*changes);
    if (!changes->empty()) notify_changed(ref);
  }
  auto& view = selected_->view;
  if (!args.is_silent) {
    for (auto uid : uids) {
      if (std::find(failed.begin(), failed.end(), uid) != failed.end()) continue;
      if (auto seq = view.seq_of(uid)) write_flags_fetch(*seq, is_uid);
    }
  }
  if (!failed.empty()) {
    std::vector<std::uint32_t> numbers;
    for (auto uid : failed) {
      if (is_uid) {
        numbers.push_back(uid);
      } else if (auto seq = view.seq_of(uid)) {
        numbers.push_back(*seq);
      }
    }
    co_return Reply::ok("[MODIFIED " + number_set(numbers) + "] Conditional STORE failed for some messages");
  }
  co_return Reply::ok("STORE completed");
}

}  // namespace bulwark::protocol::imap

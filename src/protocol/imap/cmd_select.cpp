// SELECT and EXAMINE (RFC 9051 6.3.2, 6.3.3; RFC 7162 3.1.8 CONDSTORE parameter, HIGHESTMODSEQ, 3.2.5 QRESYNC
// parameter in cmd_qresync.cpp), CLOSE (6.4.1)
// and UNSELECT (6.4.2, RFC 3691).
#include <set>

#include "protocol/imap/imap_session.h"
#include "protocol/imap/response_format.h"

namespace bulwark::protocol::imap {
namespace {

constexpr std::string_view kSystemFlags = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";

}  // namespace

net::awaitable<Reply> ImapSession::on_select(parse::imap::Command command) {
  const bool is_examine = command.name == parse::imap::CommandName::examine;
  auto args = std::get<parse::imap::SelectArgs>(std::move(command.args));
  if (args.qresync && !qresync_enabled_) co_return Reply::bad("QRESYNC parameter without ENABLE QRESYNC");
  // Selecting again the mailbox this session has a view of (clients do, to refresh): the view is brought up
  // to date with the changes since, instead of being rebuilt from every message (5 ms for 10,000 messages).
  std::optional<MailboxView> previous;
  std::optional<store::MailStore::KnownMailbox> known;
  if (selected_) {
    if (principal_ && selected_->ref.owner == principal_->account_id()) {
      known = store::MailStore::KnownMailbox{selected_->ref.id, selected_->view.highest_modseq()};
      previous.emplace(std::move(selected_->view));
    }
    deselect();
    untagged("OK [CLOSED] Previous mailbox closed");  // RFC 9051 7.1, RFC 7162 3.2.11
  }
  auto name = mailbox_name(args.mailbox);
  if (!name) co_return Reply::bad(name.error().detail);
  if (args.is_condstore) condstore_enabled_ = true;
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  const auto owner = who.account_id();
  auto job = [&mail, who, owner, n = *name, known] { return mail.open_mailbox(who, owner, n, known); };
  auto opened = co_await net::run_blocking(connection_->blocking, std::move(job));
  if (!opened) co_return store_error(opened.error(), is_examine ? "EXAMINE" : "SELECT");
  const auto* info = &opened->info;
  if (!info->rights.has(store::Right::read)) co_return Reply::no("[NOPERM] Permission denied");
  const auto ref = info->ref;

  SelectedMailbox selected;
  selected.ref = ref;
  selected.name = info->name;
  selected.is_read_only = is_examine;
  const auto& changes = opened->changes;
  bool is_current = false;
  if (opened->incremental && previous && previous->uid_validity() == changes.state.uid_validity) {
    selected.view = std::move(*previous);
    (void)selected.view.apply(changes);  // a new selection: nothing to report
    // A count that differs means a removal the expunge log did not record: start over from every message.
    is_current = selected.view.exists() == changes.state.messages;
  } else if (!opened->incremental) {
    selected.view.reset(changes);
    is_current = true;
  }
  if (!is_current) {
    auto job2 = [&mail, who, ref] { return mail.changes_since(who, ref, 0); };
    auto all = co_await net::run_blocking(connection_->blocking, std::move(job2));
    if (!all) co_return store_error(all.error(), is_examine ? "EXAMINE" : "SELECT");
    selected.view.reset(*all);
  }
  // Keywords and the first unseen message from the table's distinct flag sets, not from each message's flags.
  const auto& table = selected.view.table();
  std::set<std::string> keywords;
  std::vector<bool> set_is_seen(table.flag_sets.size(), false);
  for (std::size_t i = 0; i < table.flag_sets.size(); ++i) {
    for (const auto& flag : table.flag_sets[i]) {
      if (!flag.empty() && flag[0] != '\\') keywords.insert(flag);
      if (flag == "\\Seen") set_is_seen[i] = true;
    }
  }
  std::uint32_t first_unseen = 0;
  for (std::size_t i = 0; i < table.entries.size(); ++i) {
    if (!set_is_seen[table.entries[i].flag_set]) {
      first_unseen = static_cast<std::uint32_t>(i + 1);
      break;
    }
  }
  std::string flags(kSystemFlags);
  for (const auto& keyword : keywords) flags += " " + keyword;

  untagged(std::to_string(selected.view.exists()) + " EXISTS");
  if (!rev2_enabled_) untagged("0 RECENT");
  untagged("FLAGS (" + flags + ")");
  untagged(is_examine ? std::string("OK [PERMANENTFLAGS ()] Read-only mailbox")
                      : "OK [PERMANENTFLAGS (" + flags + " \\*)] Flags permitted");
  if (!rev2_enabled_ && first_unseen != 0) untagged("OK [UNSEEN " + std::to_string(first_unseen) + "] First unseen");
  untagged("OK [UIDVALIDITY " + std::to_string(selected.view.uid_validity()) + "] UIDs valid");
  untagged("OK [UIDNEXT " + std::to_string(selected.view.uid_next()) + "] Predicted next UID");
  untagged("OK [HIGHESTMODSEQ " + std::to_string(selected.view.highest_modseq()) + "] Highest");
  if (rev2_enabled_) untagged("LIST () \"/\" " + wire_mailbox(selected.name));
  selected_.emplace(std::move(selected));
  state_ = SessionState::selected;
  watch_selected();
  if (args.qresync) {
    auto params = std::move(*args.qresync);
    auto resynced = co_await qresync_select(std::move(params));
    if (!resynced) co_return store_error(resynced.error(), is_examine ? "EXAMINE" : "SELECT");
  }
  co_return Reply::ok(is_examine ? "[READ-ONLY] EXAMINE completed" : "[READ-WRITE] SELECT completed");
}

net::awaitable<Reply> ImapSession::on_close(parse::imap::Command) {
  // RFC 9051 6.4.1: expunge silently (no EXPUNGE responses), unless the mailbox is read-only.
  if (!selected_->is_read_only) {
    auto& mail = services_.mail;
    const store::Principal who = *principal_;
    const auto ref = selected_->ref;
    auto job3 = [&mail, who, ref] { return mail.expunge(who, ref, std::nullopt); };
    auto gone = co_await net::run_blocking(connection_->blocking, std::move(job3));
    if (!gone && gone.error().code != Errc::permission_denied) {
      connection_->log.error("CLOSE: expunge failed: {}", gone.error().detail);
    }
    if (gone && !gone->empty()) notify_changed(ref);
  }
  deselect();
  co_return Reply::ok("CLOSE completed");
}

net::awaitable<Reply> ImapSession::on_unselect(parse::imap::Command) {
  deselect();
  co_return Reply::ok("UNSELECT completed");
}

}  // namespace bulwark::protocol::imap

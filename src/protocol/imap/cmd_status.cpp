// STATUS (RFC 9051 6.3.11; RFC 7162 HIGHESTMODSEQ; SIZE and DELETED are IMAP4rev2 items; RFC 7889 APPENDLIMIT).
// Also answers LIST ... RETURN (STATUS ...) (RFC 5819).
#include <algorithm>

#include "protocol/imap/imap_session.h"

namespace bulwark::protocol::imap {

net::awaitable<std::optional<std::string>> ImapSession::status_items(store::MailboxInfo info,
                                                                     std::vector<parse::imap::StatusItem> items) {
  using parse::imap::StatusItem;
  std::uint32_t deleted = 0;
  if (std::find(items.begin(), items.end(), StatusItem::deleted) != items.end()) {
    auto& mail = services_.mail;
    const store::Principal who = *principal_;
    const auto ref = info.ref;
    auto job = [&mail, who, ref] { return mail.changes_since(who, ref, 0); };
    auto all = co_await net::run_blocking(connection_->blocking, std::move(job));
    if (!all) co_return std::nullopt;
    for (const auto& m : all->changed) {
      if (std::find(m.flags.begin(), m.flags.end(), "\\Deleted") != m.flags.end()) ++deleted;
    }
  }
  std::string out;
  auto add = [&](std::string_view name, std::uint64_t value) {
    if (!out.empty()) out += ' ';
    out += name;
    out += ' ';
    out += std::to_string(value);
  };
  for (auto item : items) {
    switch (item) {
      case StatusItem::messages: add("MESSAGES", info.messages); break;
      case StatusItem::uidnext: add("UIDNEXT", info.uid_next); break;
      case StatusItem::uidvalidity: add("UIDVALIDITY", info.uid_validity); break;
      case StatusItem::unseen: add("UNSEEN", info.unseen); break;
      case StatusItem::deleted: add("DELETED", deleted); break;
      case StatusItem::size: add("SIZE", info.size); break;
      case StatusItem::recent: add("RECENT", 0); break;
      case StatusItem::highestmodseq: add("HIGHESTMODSEQ", info.highest_modseq); break;
      case StatusItem::appendlimit: add("APPENDLIMIT", config_->limits.max_message_bytes); break;
    }
  }
  co_return out;
}

net::awaitable<Reply> ImapSession::on_status(parse::imap::Command command) {
  auto args = std::get<parse::imap::StatusArgs>(std::move(command.args));
  auto name = mailbox_name(args.mailbox);
  if (!name) co_return Reply::bad(name.error().detail);
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  auto job2 = [&mail, who, n = *name] { return mail.find_mailbox(who, who.account_id(), n); };
  auto info = co_await net::run_blocking(connection_->blocking, std::move(job2));
  if (!info) co_return store_error(info.error(), "STATUS");
  if (!info->rights.has(store::Right::read)) co_return Reply::no("[NOPERM] Permission denied");
  store::MailboxInfo found = *info;
  auto text = co_await status_items(std::move(found), std::move(args.items));
  if (!text) co_return Reply::no("[UNAVAILABLE] STATUS: temporarily unavailable");
  untagged("STATUS " + wire_mailbox(info->name) + " (" + *text + ")");
  co_return Reply::ok("STATUS completed");
}

}  // namespace bulwark::protocol::imap

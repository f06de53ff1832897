// CREATE (RFC 9051 6.3.4; RFC 6154 5.3 USE), DELETE (6.3.5), RENAME (6.3.6), SUBSCRIBE and UNSUBSCRIBE (6.3.7,
// 6.3.8). CREATE also creates missing superior names ("a/b/c" creates "a" and "a/b"), as 6.3.4 suggests.
#include <cctype>

#include "protocol/imap/imap_session.h"

namespace bulwark::protocol::imap {
namespace {

std::optional<store::SpecialUse> special_use_from(std::string_view attribute) {
  auto is = [&](std::string_view name) {
    if (attribute.size() != name.size()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(attribute[i])) != std::tolower(static_cast<unsigned char>(name[i]))) {
        return false;
      }
    }
    return true;
  };
  if (is("\\Drafts")) return store::SpecialUse::drafts;
  if (is("\\Sent")) return store::SpecialUse::sent;
  if (is("\\Trash")) return store::SpecialUse::trash;
  if (is("\\Junk")) return store::SpecialUse::junk;
  if (is("\\Archive")) return store::SpecialUse::archive;
  return std::nullopt;
}

}  // namespace

net::awaitable<Reply> ImapSession::on_create(parse::imap::Command command) {
  auto args = std::get<parse::imap::CreateArgs>(std::move(command.args));
  auto name = mailbox_name(args.mailbox);
  if (!name) co_return Reply::bad(name.error().detail);
  while (!name->empty() && name->back() == '/') name->pop_back();  // "a/" declares intent to create children
  if (name->empty()) co_return Reply::bad("Empty mailbox name");
  auto role = store::SpecialUse::none;
  if (args.special_use.size() > 1) co_return Reply::no("[USEATTR] Only one special-use attribute per mailbox");
  if (!args.special_use.empty()) {
    auto use = special_use_from(args.special_use.front());
    if (!use) co_return Reply::no("[USEATTR] Unsupported special-use attribute");
    role = *use;
  }
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  auto job = [&mail, who, n = *name, role]() -> Status {
    // Superior names first; those that exist already are fine.
    for (std::size_t slash = n.find('/'); slash != std::string::npos; slash = n.find('/', slash + 1)) {
      auto parent = mail.create_mailbox(who, who.account_id(), n.substr(0, slash), store::SpecialUse::none);
      if (!parent && parent.error().code != Errc::already_exists) return tl::unexpected(parent.error());
    }
    auto leaf = mail.create_mailbox(who, who.account_id(), n, role);
    if (!leaf) return tl::unexpected(leaf.error());
    return ok();
  };
  auto created = co_await net::run_blocking(connection_->blocking, std::move(job));
  if (!created) co_return store_error(created.error(), "CREATE");
  co_return Reply::ok("CREATE completed");
}

net::awaitable<Reply> ImapSession::on_delete(parse::imap::Command command) {
  auto args = std::get<parse::imap::MailboxArgs>(std::move(command.args));
  auto name = mailbox_name(args.mailbox);
  if (!name) co_return Reply::bad(name.error().detail);
  if (*name == "INBOX") co_return Reply::no("[CANNOT] INBOX cannot be deleted");
  if (selected_ && selected_->name == *name) co_return Reply::no("[INUSE] Mailbox is selected; CLOSE it first");
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  auto job2 = [&mail, who, n = *name]() -> Status {
    auto info = mail.find_mailbox(who, who.account_id(), n);
    if (!info) return tl::unexpected(info.error());
    return mail.delete_mailbox(who, info->ref);
  };
  auto deleted = co_await net::run_blocking(connection_->blocking, std::move(job2));
  if (!deleted) co_return store_error(deleted.error(), "DELETE");
  services_.notify_mailbox_changed(who.account_id(), 0);  // a session with it selected says BYE
  co_return Reply::ok("DELETE completed");
}

net::awaitable<Reply> ImapSession::on_rename(parse::imap::Command command) {
  auto args = std::get<parse::imap::RenameArgs>(std::move(command.args));
  auto from = mailbox_name(args.from);
  auto to = mailbox_name(args.to);
  if (!from || !to) co_return Reply::bad("Invalid mailbox name");
  while (!to->empty() && to->back() == '/') to->pop_back();
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  auto job3 = [&mail, who, f = *from, t = *to]() -> Status {
    auto info = mail.find_mailbox(who, who.account_id(), f);
    if (!info) return tl::unexpected(info.error());
    return mail.rename_mailbox(who, info->ref, t);
  };
  auto renamed = co_await net::run_blocking(connection_->blocking, std::move(job3));
  if (!renamed) co_return store_error(renamed.error(), "RENAME");
  services_.notify_mailbox_changed(who.account_id(), 0);
  if (selected_ && *from != "INBOX") {
    if (selected_->name == *from) {
      selected_->name = *to;
    } else if (selected_->name.rfind(*from + "/", 0) == 0) {
      selected_->name = *to + selected_->name.substr(from->size());
    }
  }
  co_return Reply::ok("RENAME completed");
}

net::awaitable<Reply> ImapSession::on_subscribe(parse::imap::Command command) {
  const bool subscribe = command.name == parse::imap::CommandName::subscribe;
  auto args = std::get<parse::imap::MailboxArgs>(std::move(command.args));
  auto name = mailbox_name(args.mailbox);
  if (!name) co_return Reply::bad(name.error().detail);
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  auto job4 = [&mail, who, n = *name, subscribe]() -> Status {
    auto info = mail.find_mailbox(who, who.account_id(), n);
    if (!info) return tl::unexpected(info.error());
    return mail.set_subscribed(who, info->ref, subscribe);
  };
  auto done = co_await net::run_blocking(connection_->blocking, std::move(job4));
  const char* what = subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE";
  if (!done) co_return store_error(done.error(), what);
  co_return Reply::ok(std::string(what) + " completed");
}

}  // namespace bulwark::protocol::imap

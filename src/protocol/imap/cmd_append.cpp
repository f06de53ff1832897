// APPEND (RFC 9051 6.3.12; RFC 4315 APPENDUID; LITERAL+/LITERAL- via the framer) with MULTIAPPEND (RFC 3502):
// several messages in one command, appended all or none. The MIME structure is computed here, once, and kept
// with the message (NewMessage::structure) for FETCH ENVELOPE/BODYSTRUCTURE/BODY[section].
// Nothing is stored before the whole command has arrived (the framer delivers complete commands only): a
// client that disconnects mid-literal leaves nothing behind. The quota is checked for all messages together
// first ([OVERQUOTA]); should a later message still fail, the ones already appended are removed again.
#include "parse/mime/message_structure.h"
#include "parse/mime/structure_cache.h"
#include "protocol/imap/imap_session.h"
#include "protocol/imap/response_format.h"

namespace bulwark::protocol::imap {
namespace {

struct PendingMessage {
  store::NewMessage record;
  std::string content;
};

struct AppendOutcome {
  store::MailboxRef ref;
  std::uint32_t uid_validity = 0;
  std::vector<std::uint32_t> uids;
};

// Runs on the blocking pool.
Result<AppendOutcome> append_all(store::MailStore& mail, const store::Principal& who, const std::string& name,
                                 std::vector<PendingMessage> messages) {
  auto info = mail.lookup_mailbox(who, who.account_id(), name);
  if (!info) {
    if (info.error().code == Errc::not_found) return fail(Errc::not_found, "TRYCREATE");
    return tl::unexpected(info.error());
  }
  if (messages.size() > 1 && who.quota_bytes() != 0) {
    std::uint64_t total = 0;
    for (const auto& m : messages) total += m.content.size();
    BULWARK_TRY_ASSIGN(auto usage, mail.usage(who));
    if (usage.limit_bytes != 0 && usage.used_bytes + total > usage.limit_bytes) {
      return fail(Errc::quota_exceeded, "the messages together exceed the quota");
    }
  }
  AppendOutcome outcome;
  outcome.ref = info->ref;
  auto undo = [&] {
    if (outcome.uids.empty()) return;
    (void)mail.update_flags(who, outcome.ref, outcome.uids, store::FlagOp::add, {"\\Deleted"}, std::nullopt,
                            nullptr);
    (void)mail.expunge(who, outcome.ref, outcome.uids);
  };
  for (auto& message : messages) {
    auto structure = parse::mime::parse_message(message.content);
    if (!structure) {
      undo();
      return tl::unexpected(structure.error());
    }
    message.record.structure = parse::mime::encode_structure(*structure);
    auto appended = mail.append_message(who, outcome.ref, message.content, message.record);
    if (!appended) {
      undo();
      return tl::unexpected(appended.error());
    }
    outcome.uid_validity = appended->uid_validity;
    outcome.uids.push_back(appended->uid);
    std::string().swap(message.content);  // keep peak memory near one copy of the command
  }
  return outcome;
}

}  // namespace

net::awaitable<Reply> ImapSession::on_append(parse::imap::Command command) {
  auto args = std::get<parse::imap::AppendArgs>(std::move(command.args));
  auto name = mailbox_name(args.mailbox);
  if (!name) co_return Reply::bad(name.error().detail);
  std::vector<PendingMessage> messages;
  messages.reserve(args.messages.size());
  for (auto& message : args.messages) {
    if (message.content.size() > config_->limits.max_message_bytes) co_return Reply::no("[TOOBIG] Message too large");
    PendingMessage pending;
    pending.record.flags = std::move(message.flags);
    if (message.internal_date) {
      auto seconds = to_unix_seconds(*message.internal_date);
      if (!seconds) co_return Reply::bad("Invalid date-time");
      pending.record.internal_date = *seconds;
    }
    pending.content = std::move(message.content);
    messages.push_back(std::move(pending));
  }
  args.messages.clear();
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  auto job = [&mail, who, n = *name, batch = std::move(messages)]() mutable {
    return append_all(mail, who, n, std::move(batch));
  };
  auto appended = co_await net::run_blocking(connection_->blocking, std::move(job));
  if (!appended) {
    if (appended.error().code == Errc::not_found) co_return Reply::no("[TRYCREATE] No such mailbox");
    co_return store_error(appended.error(), "APPEND");
  }
  notify_changed(appended->ref);
  co_return Reply::ok("[APPENDUID " + std::to_string(appended->uid_validity) + " " + number_set(appended->uids) +
                      "] APPEND completed");
}

}  // namespace bulwark::protocol::imap

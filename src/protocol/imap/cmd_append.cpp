// APPEND (RFC 9051 6.3.12; RFC 4315 APPENDUID; LITERAL+ via the framer). The MIME structure is computed here,
// once, and kept with the message (NewMessage::structure) for FETCH ENVELOPE/BODYSTRUCTURE/BODY[section].
// The message is stored only once the whole command has arrived: a client that disconnects mid-literal
// leaves nothing behind.
#include "parse/mime/message_structure.h"
#include "parse/mime/structure_cache.h"
#include "protocol/imap/imap_session.h"
#include "protocol/imap/response_format.h"

namespace bulwark::protocol::imap {

net::awaitable<Reply> ImapSession::on_append(parse::imap::Command command) {
  auto args = std::get<parse::imap::AppendArgs>(std::move(command.args));
  if (args.messages.size() != 1) co_return Reply::bad("MULTIAPPEND is not supported");
  auto name = mailbox_name(args.mailbox);
  if (!name) co_return Reply::bad(name.error().detail);
  auto message = std::move(args.messages.front());
  if (message.content.size() > config_->limits.max_message_bytes) co_return Reply::no("[TOOBIG] Message too large");
  store::NewMessage record;
  record.flags = std::move(message.flags);
  if (message.internal_date) {
    auto seconds = to_unix_seconds(*message.internal_date);
    if (!seconds) co_return Reply::bad("Invalid date-time");
    record.internal_date = *seconds;
  }
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  auto job = [&mail, who, n = *name, record = std::move(record),
                                     content = std::move(message.content)]() mutable -> Result<store::Appended> {
    auto info = mail.find_mailbox(who, who.account_id(), n);
    if (!info) {
      if (info.error().code == Errc::not_found) return fail(Errc::not_found, "TRYCREATE");
      return tl::unexpected(info.error());
    }
    auto structure = parse::mime::parse_message(content);
    if (!structure) return tl::unexpected(structure.error());
    record.structure = parse::mime::encode_structure(*structure);
    BULWARK_TRY_ASSIGN(auto blob, mail.store_blob(content));
    return mail.append(who, info->ref, blob, record);
  };
  auto appended = co_await net::run_blocking(connection_->blocking, std::move(job));
  if (!appended) {
    if (appended.error().code == Errc::not_found) co_return Reply::no("[TRYCREATE] No such mailbox");
    co_return store_error(appended.error(), "APPEND");
  }
  co_return Reply::ok("[APPENDUID " + std::to_string(appended->uid_validity) + " " + std::to_string(appended->uid) +
                      "] APPEND completed");
}

}  // namespace bulwark::protocol::imap

// Commands valid in any state or without a mailbox: CAPABILITY, NOOP and CHECK (RFC 9051 6.1.1, 6.1.2; CHECK is
// RFC 3501 6.4.1, a NOOP here), LOGOUT (6.1.3), ENABLE (6.3.1, RFC 5161; IMAP4rev2, CONDSTORE, QRESYNC
// RFC 7162 3.2.3, UTF8=ACCEPT RFC 6855 3), ID
// (RFC 2971), NAMESPACE (6.3.10, RFC 2342).
#include "base/log.h"
#include "protocol/imap/imap_session.h"

namespace bulwark::protocol::imap {

net::awaitable<Reply> ImapSession::on_capability(parse::imap::Command) {
  untagged("CAPABILITY " + capability_list());
  co_return Reply::ok("CAPABILITY completed");
}

net::awaitable<Reply> ImapSession::on_noop(parse::imap::Command command) {
  // The dispatcher reports the selected mailbox's changes before the tagged OK.
  co_return Reply::ok(command.name == parse::imap::CommandName::check ? "CHECK completed" : "NOOP completed");
}

net::awaitable<Reply> ImapSession::on_logout(parse::imap::Command command) {
  untagged("BYE Logging out");
  write(tagged_line(command.tag, Reply::ok("LOGOUT completed")));
  state_ = SessionState::logout;
  closing_ = true;
  co_return Reply::sent();
}

net::awaitable<Reply> ImapSession::on_enable(parse::imap::Command command) {
  const auto& args = std::get<parse::imap::EnableArgs>(command.args);
  std::string enabled;
  for (const auto& capability : args.capabilities) {
    if (capability == "IMAP4REV2" && !rev2_enabled_) {
      rev2_enabled_ = true;
      enabled += " IMAP4rev2";
    } else if (capability == "CONDSTORE" && !condstore_enabled_) {
      condstore_enabled_ = true;
      enabled += " CONDSTORE";
    } else if (capability == "QRESYNC" && !qresync_enabled_) {
      qresync_enabled_ = true;  // RFC 7162 3.2.3: implies CONDSTORE
      condstore_enabled_ = true;
      enabled += " QRESYNC";
    } else if (capability == "UTF8=ACCEPT" && !utf8_accept_enabled_) {
      utf8_accept_enabled_ = true;  // RFC 6855 3: UTF-8 mailbox names and quoted strings from now on
      enabled += " UTF8=ACCEPT";
    }
  }
  untagged("ENABLED" + enabled);
  co_return Reply::ok("ENABLE completed");
}

net::awaitable<Reply> ImapSession::on_id(parse::imap::Command command) {
  const auto& args = std::get<parse::imap::IdArgs>(command.args);
  if (args.parameters) {
    std::string client;
    for (const auto& [field, value] : *args.parameters) {
      if (!client.empty()) client += ", ";
      client += field + "=" + (value ? *value : "NIL");
    }
    connection_->log.info("client ID: {}", log::sanitize(client));
  }
  untagged("ID (\"name\" \"Bulwark\")");
  co_return Reply::ok("ID completed");
}

net::awaitable<Reply> ImapSession::on_namespace(parse::imap::Command) {
  untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
  co_return Reply::ok("NAMESPACE completed");
}

}  // namespace bulwark::protocol::imap

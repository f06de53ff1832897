// The dispatch table: every command this server implements, its handler and the state it needs (RFC 9051 3,
// 6). A command missing here is answered "BAD Command not supported" and never advertised.
#include <array>

#include "protocol/imap/imap_session.h"

namespace bulwark::protocol::imap {

const CommandEntry* ImapSession::find_command(parse::imap::CommandName name) {
  using parse::imap::CommandName;
  using S = RequiredState;
  static const std::array<CommandEntry, 33> kTable{{
      {CommandName::capability, &ImapSession::on_capability, S::any},
      {CommandName::noop, &ImapSession::on_noop, S::any},
      {CommandName::logout, &ImapSession::on_logout, S::any},
      {CommandName::id, &ImapSession::on_id, S::any},
      {CommandName::starttls, &ImapSession::on_starttls, S::not_authenticated},
      {CommandName::login, &ImapSession::on_login, S::not_authenticated},
      {CommandName::authenticate, &ImapSession::on_authenticate, S::not_authenticated},
      {CommandName::enable, &ImapSession::on_enable, S::authenticated},
      {CommandName::namespace_, &ImapSession::on_namespace, S::authenticated},
      {CommandName::select, &ImapSession::on_select, S::authenticated},
      {CommandName::examine, &ImapSession::on_select, S::authenticated},
      {CommandName::create, &ImapSession::on_create, S::authenticated},
      {CommandName::delete_, &ImapSession::on_delete, S::authenticated},
      {CommandName::rename, &ImapSession::on_rename, S::authenticated},
      {CommandName::subscribe, &ImapSession::on_subscribe, S::authenticated},
      {CommandName::unsubscribe, &ImapSession::on_subscribe, S::authenticated},
      {CommandName::list, &ImapSession::on_list, S::authenticated},
      {CommandName::lsub, &ImapSession::on_list, S::authenticated},
      {CommandName::status, &ImapSession::on_status, S::authenticated},
      {CommandName::append, &ImapSession::on_append, S::authenticated},
      {CommandName::idle, &ImapSession::on_idle, S::authenticated},
      {CommandName::check, &ImapSession::on_noop, S::selected},
      {CommandName::close, &ImapSession::on_close, S::selected},
      {CommandName::unselect, &ImapSession::on_unselect, S::selected},
      {CommandName::expunge, &ImapSession::on_expunge, S::selected},
      {CommandName::uid_expunge, &ImapSession::on_expunge, S::selected},
      {CommandName::search, &ImapSession::on_search, S::selected},
      {CommandName::uid_search, &ImapSession::on_search, S::selected},
      {CommandName::fetch, &ImapSession::on_fetch, S::selected},
      {CommandName::uid_fetch, &ImapSession::on_fetch, S::selected},
      {CommandName::store, &ImapSession::on_store, S::selected},
      {CommandName::uid_store, &ImapSession::on_store, S::selected},
      {CommandName::copy, &ImapSession::on_copy, S::selected},
  }};
  static const std::array<CommandEntry, 7> kMore{{
      {CommandName::uid_copy, &ImapSession::on_copy, S::selected},
      {CommandName::move, &ImapSession::on_copy, S::selected},
      {CommandName::uid_move, &ImapSession::on_copy, S::selected},
      {CommandName::sort, &ImapSession::on_sort, S::selected},
      {CommandName::uid_sort, &ImapSession::on_sort, S::selected},
      {CommandName::thread, &ImapSession::on_thread, S::selected},
      {CommandName::uid_thread, &ImapSession::on_thread, S::selected},
  }};
  // RFC 9208 QUOTA, RFC 4978 COMPRESS
  static const std::array<CommandEntry, 4> kExtensions{{
      {CommandName::getquota, &ImapSession::on_getquota, S::authenticated},
      {CommandName::getquotaroot, &ImapSession::on_getquotaroot, S::authenticated},
      {CommandName::setquota, &ImapSession::on_setquota, S::authenticated},
      {CommandName::compress, &ImapSession::on_compress, S::authenticated},
  }};
  for (const auto& entry : kTable) {
    if (entry.name == name) return &entry;
  }
  for (const auto& entry : kMore) {
    if (entry.name == name) return &entry;
  }
  for (const auto& entry : kExtensions) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

}  // namespace bulwark::protocol::imap

#include "protocol/imap/imap_reply.h"

#include "base/log.h"

namespace bulwark::protocol::imap {

bool is_client_detail(const Error& error) noexcept {
  return error.code == Errc::invalid_syntax || error.code == Errc::invalid_argument;
}

Reply reply_for(const Error& error, std::string_view what) {
  const std::string op(what);
  // Client-facing detail goes through sanitize: it may quote client input.
  const std::string detail = is_client_detail(error) && !error.detail.empty() ? log::sanitize(error.detail) : "";
  switch (error.code) {
    case Errc::not_found: return Reply::no("[NONEXISTENT] " + op + ": no such mailbox or message");
    case Errc::already_exists: return Reply::no("[ALREADYEXISTS] " + op + ": already exists");
    case Errc::permission_denied: return Reply::no("[NOPERM] " + op + ": permission denied");
    case Errc::quota_exceeded: return Reply::no("[OVERQUOTA] " + op + ": quota exceeded");
    case Errc::too_big: return Reply::no("[TOOBIG] " + op + ": too large");
    case Errc::invalid_syntax: return Reply::bad(op + ": " + (detail.empty() ? "syntax error" : detail));
    case Errc::invalid_argument: return Reply::no("[CANNOT] " + op + ": " + (detail.empty() ? "not possible" : detail));
    case Errc::temporary_failure:
    case Errc::unavailable: return Reply::no("[UNAVAILABLE] " + op + ": temporarily unavailable, try again later");
    case Errc::internal: break;
  }
  return Reply::no("[SERVERBUG] " + op + ": internal error");
}

std::string tagged_line(std::string_view tag, const Reply& reply) {
  std::string out(tag.empty() ? "*" : tag);
  switch (reply.status) {
    case Completion::ok: out += " OK "; break;
    case Completion::no: out += " NO "; break;
    case Completion::bad: out += " BAD "; break;
  }
  out += reply.text.empty() ? "completed" : reply.text;
  out += "\r\n";
  return out;
}

}  // namespace bulwark::protocol::imap

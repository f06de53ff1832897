// QUOTA (RFC 9208) with the STORAGE resource (QUOTA=RES-STORAGE, 5.1): one quota root, "", per account, whose
// limit is the account's quota (set by the administrator: `bulwark user add --quota`). Usage and limit are in
// units of 1024 octets, usage rounded up. An account without a quota has no quota root. SETQUOTA is not offered
// (no QUOTASET): answered NO. APPEND/COPY over the quota fail with [OVERQUOTA] (imap_reply.cpp).
#include "protocol/imap/imap_session.h"

namespace bulwark::protocol::imap {
namespace {

std::string quota_line(const store::Usage& usage) {
  const auto used_kib = (usage.used_bytes + 1023) / 1024;
  const auto limit_kib = usage.limit_bytes / 1024;
  return "QUOTA \"\" (STORAGE " + std::to_string(used_kib) + " " + std::to_string(limit_kib) + ")";
}

}  // namespace

net::awaitable<Reply> ImapSession::on_getquota(parse::imap::Command command) {
  const auto& args = std::get<parse::imap::QuotaRootArgs>(command.args);
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  auto job = [&mail, who] { return mail.usage(who); };
  auto usage = co_await net::run_blocking(connection_->blocking, std::move(job));
  if (!usage) co_return store_error(usage.error(), "GETQUOTA");
  if (!args.root.empty() || usage->limit_bytes == 0) co_return Reply::no("[NONEXISTENT] No such quota root");
  untagged(quota_line(*usage));
  co_return Reply::ok("GETQUOTA completed");
}

net::awaitable<Reply> ImapSession::on_getquotaroot(parse::imap::Command command) {
  const auto& args = std::get<parse::imap::MailboxArgs>(command.args);
  auto name = mailbox_name(args.mailbox);
  if (!name) co_return Reply::bad(name.error().detail);
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  auto job = [&mail, who, n = *name]() -> Result<store::Usage> {
    BULWARK_TRY(mail.find_mailbox(who, who.account_id(), n));
    return mail.usage(who);
  };
  auto usage = co_await net::run_blocking(connection_->blocking, std::move(job));
  if (!usage) co_return store_error(usage.error(), "GETQUOTAROOT");
  if (usage->limit_bytes == 0) {
    untagged("QUOTAROOT " + wire_mailbox(*name));
  } else {
    untagged("QUOTAROOT " + wire_mailbox(*name) + " \"\"");
    untagged(quota_line(*usage));
  }
  co_return Reply::ok("GETQUOTAROOT completed");
}

net::awaitable<Reply> ImapSession::on_setquota(parse::imap::Command) {
  co_return Reply::no("[NOPERM] Quotas are set by the administrator");
}

}  // namespace bulwark::protocol::imap

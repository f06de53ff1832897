// RFC 5321 4.1.1.3 RCPT TO. A local domain's recipient is resolved through the directory (accounts, aliases,
// plus-addressing, catch-all): unknown is 550 5.1.1. Another domain is relaying: allowed only after AUTH
// (otherwise 550 5.7.1), and such recipients go to the outbound queue, as do alias targets on other domains.
// NOTIFY/ORCPT (RFC 3461) are kept with the queued recipient. At most limits.max_recipients (452 4.5.3).
// With SIZE= on MAIL, a recipient whose whole quota is smaller than the message is refused here (552 5.2.2).
// A recipient whose mailbox is already full (no room for the declared SIZE, or for one more octet) is refused
// with 452 4.2.2 (RFC 3463 X.2.2, temporary: the owner can make room) rather than accepted and bounced later.
// Directory answers are kept in the listener's RecipientCache, so a known recipient is usually answered on the
// I/O thread without a trip to the blocking pool.
#include <algorithm>

#include "base/log.h"
#include "net/blocking.h"
#include "protocol/smtp/smtp_session.h"

namespace bulwark::protocol::smtp {
namespace {

struct RcptLookup {
  bool is_local = false;
  std::optional<Error> error;
  std::optional<store::Resolution> resolution;
  bool is_full = false;  // every account it resolves to is over quota (and nothing is forwarded)
};

// Whether every local target lacks room for `needed` octets. A usage the store cannot tell counts as room:
// delivery checks the quota again in any case.
bool all_full(store::MailStore& mail, const store::Resolution& resolution, std::uint64_t needed) {
  if (resolution.local.empty() || !resolution.remote.empty()) return false;
  for (const auto& target : resolution.local) {
    if (target.quota_bytes() == 0) return false;
    auto usage = mail.delivery_usage(target);
    if (!usage || usage->used_bytes + needed <= target.quota_bytes()) return false;
  }
  return true;
}

RcptLookup lookup_recipient(store::DirectoryStore& directory, store::MailStore& mail, const std::string& domain,
                            const std::string& address, std::uint64_t needed) {
  RcptLookup out;
  auto local = directory.is_local_domain(domain);
  if (!local) {
    out.error = local.error();
    return out;
  }
  out.is_local = *local;
  if (!out.is_local) return out;
  auto resolved = directory.resolve(address);
  if (!resolved) {
    out.error = resolved.error();
    return out;
  }
  out.is_full = all_full(mail, *resolved, needed);
  out.resolution = std::move(*resolved);
  return out;
}

// An unknown recipient of a local domain is cached as is_local with no resolution (no error needed: on_rcpt
// treats a missing resolution as 550 5.1.1).
std::optional<RcptLookup> cached_lookup(store::DirectoryStore& directory, RecipientCache& cache,
                                        const std::string& address) {
  auto stamp = directory.change_stamp();
  if (!stamp) return std::nullopt;
  auto answer = cache.find(*stamp, address);
  if (!answer) return std::nullopt;
  RcptLookup out;
  out.is_local = answer->is_local;
  out.resolution = std::move(answer->resolution);
  return out;
}

// A full mailbox is never stored: it has a quota, which RecipientCache::cacheable() refuses.
void remember(RecipientCache& cache, std::uint64_t stamp, const std::string& address, const RcptLookup& found) {
  if (found.error && found.error->code != Errc::not_found && found.error->code != Errc::invalid_argument) return;
  RecipientCache::Answer answer;
  answer.is_local = found.is_local || found.error.has_value();
  if (!found.error) answer.resolution = found.resolution;
  cache.store(stamp, address, answer);
}

std::string notify_text(const std::optional<parse::smtp::Notify>& notify) {
  if (!notify) return {};
  if (notify->never) return "NEVER";
  std::string out;
  auto add = [&](bool on, const char* word) {
    if (!on) return;
    if (!out.empty()) out += ',';
    out += word;
  };
  add(notify->success, "SUCCESS");
  add(notify->failure, "FAILURE");
  add(notify->delay, "DELAY");
  return out;
}

}  // namespace

net::awaitable<void> SmtpSession::on_rcpt(parse::smtp::RcptTo rcpt) {
  if (!transaction_) { queue(replies::bad_sequence("Need MAIL command")); co_return co_await flush(); }
  if (transaction_->chunks) { queue(replies::bad_sequence("RCPT not allowed after BDAT")); co_return co_await flush(); }
  if (transaction_->recipients.size() >= config_->limits.max_recipients) {
    { queue(replies::too_many_recipients()); co_return co_await flush(); }
  }
  const auto& mailbox = rcpt.forward_path;
  std::string domain = mailbox.is_bare_postmaster() ? config_->hostname : mailbox.domain;
  std::string address = mailbox.unquoted_local_part() + "@" + domain;
  std::string shown = log::sanitize(mailbox.is_bare_postmaster() ? address : mailbox.to_string());

  const std::uint64_t needed = std::max<std::uint64_t>(transaction_->mail.parameters.size.value_or(0), 1);
  RcptLookup found;  // an address literal is never one of our domains: nothing to look up
  if (!mailbox.is_address_literal()) {
    if (auto hit = cached_lookup(services_.directory, shared_.recipients, address)) {
      found = std::move(*hit);
    } else {
      auto lookup = [&directory = services_.directory, &mail = services_.mail, &cache = shared_.recipients, domain,
                     address, needed]() {
        auto stamp = directory.change_stamp();  // before the lookup: a change during it makes the answer stale
        auto out = lookup_recipient(directory, mail, domain, address, needed);
        if (stamp) remember(cache, *stamp, address, out);
        return out;
      };
      found = co_await net::run_blocking(connection_->blocking, std::move(lookup));
    }
  }
  if (found.error && found.error->code != Errc::not_found && found.error->code != Errc::invalid_argument) {
    connection_->log.error("RCPT <{}>: directory: {}", shown, found.error->detail);
    { queue(replies::temporary_failure()); co_return co_await flush(); }
  }
  store::QueueRecipient queued;
  queued.notify = notify_text(rcpt.parameters.notify);
  if (rcpt.parameters.orcpt) queued.orcpt = rcpt.parameters.orcpt->address_type + ";" + rcpt.parameters.orcpt->address;

  if (!found.is_local && !found.error) {
    if (!principal_) {
      connection_->log.info("relay denied for <{}>", shown);
      { queue(replies::relay_denied()); co_return co_await flush(); }
    }
    queued.address = mailbox.to_string();
    transaction_->remote.push_back(std::move(queued));
    transaction_->recipients.push_back(mailbox.to_string());
    { queue({250, "2.1.5", "Recipient OK"}); co_return co_await flush(); }
  }
  if (found.error || !found.resolution) {
    connection_->log.info("unknown recipient <{}>", shown);
    { queue(replies::no_such_user()); co_return co_await flush(); }
  }
  auto& resolution = *found.resolution;
  const auto& declared = transaction_->mail.parameters.size;
  if (declared && resolution.remote.empty() && !resolution.local.empty() &&
      std::all_of(resolution.local.begin(), resolution.local.end(), [&](const store::DeliveryTarget& t) {
        return t.quota_bytes() != 0 && *declared > t.quota_bytes();
      })) {
    { queue(replies::mailbox_too_small()); co_return co_await flush(); }
  }
  if (found.is_full) {
    connection_->log.info("mailbox full for <{}>", shown);
    { queue(replies::mailbox_full()); co_return co_await flush(); }
  }
  for (auto& target : resolution.local) {
    auto same = [&](const store::DeliveryTarget& t) { return t.account_id() == target.account_id(); };
    if (std::none_of(transaction_->local.begin(), transaction_->local.end(), same)) {
      transaction_->local.push_back(std::move(target));
    }
  }
  for (auto& forward : resolution.remote) {
    auto same = [&](const store::QueueRecipient& r) { return r.address == forward; };
    if (std::none_of(transaction_->remote.begin(), transaction_->remote.end(), same)) {
      store::QueueRecipient r = queued;
      r.address = std::move(forward);
      transaction_->remote.push_back(std::move(r));
    }
  }
  transaction_->recipients.push_back(mailbox.is_bare_postmaster() ? address : mailbox.to_string());
  queue({250, "2.1.5", "Recipient OK"});
  co_await flush();
}

}  // namespace bulwark::protocol::smtp

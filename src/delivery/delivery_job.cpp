#include "delivery/delivery_job.h"

#include <atomic>
#include <map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "delivery/dsn.h"

namespace bulwark::delivery {

std::string domain_of(const std::string& address) {
  auto at = address.rfind('@');
  std::string domain = at == std::string::npos ? std::string() : address.substr(at + 1);
  for (auto& c : domain) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return domain;
}

namespace {

// The jobs of one message: its recipients due at `now`, one job per destination domain.
void plan_message(Stores stores, store::QueuedMessage m, std::int64_t now, std::map<std::string, bool>& local_cache,
                  std::vector<Job>& jobs) {
  auto message = std::make_shared<const store::QueuedMessage>(std::move(m));
  std::map<std::string, Job> by_domain;
  for (std::size_t i = 0; i < message->recipients.size(); ++i) {
    const auto& r = message->recipients[i];
    if (r.state != store::QueueState::pending || r.next_attempt > now) continue;
    std::string domain = domain_of(r.recipient.address);
    auto& job = by_domain[domain];
    job.message = message;
    job.domain = domain;
    job.recipients.push_back(i);
  }
  for (auto& [domain, job] : by_domain) {
    auto cached = local_cache.find(domain);
    if (cached == local_cache.end()) {
      auto local = stores.directory.is_local_domain(domain);
      cached = local_cache.emplace(domain, local && *local).first;
    }
    job.local = cached->second;
    jobs.push_back(std::move(job));
  }
}

}  // namespace

Result<std::vector<Job>> plan_due(Stores stores, std::int64_t now, std::size_t limit,
                                  const std::set<store::QueueId>& busy) {
  BULWARK_TRY_ASSIGN(auto due, stores.queue.due(now, limit + busy.size()));
  std::vector<Job> jobs;
  std::map<std::string, bool> local_cache;
  std::size_t messages = 0;
  for (auto& m : due) {
    if (busy.contains(m.id)) continue;
    if (messages++ >= limit) break;
    plan_message(stores, std::move(m), now, local_cache, jobs);
  }
  return jobs;
}

Result<std::vector<Job>> plan_queued(Stores stores, std::int64_t now, const std::vector<store::QueueId>& ids,
                                     const std::set<store::QueueId>& busy) {
  std::vector<Job> jobs;
  std::map<std::string, bool> local_cache;
  std::set<store::QueueId> seen;
  for (auto id : ids) {
    if (busy.contains(id) || !seen.insert(id).second) continue;
    auto m = stores.queue.get(id);
    if (!m) {
      if (m.error().code == Errc::not_found) continue;  // already delivered (by a poll) or deleted
      return tl::unexpected(m.error());
    }
    plan_message(stores, std::move(*m), now, local_cache, jobs);
  }
  return jobs;
}

Result<std::string> prepare_content(Stores stores, DkimSigner* signer, const store::QueuedMessage& message,
                                    std::int64_t now) {
  BULWARK_TRY_ASSIGN(auto content, stores.queue.read_content(message));
  if (!signer || message.envelope.sender.empty()) return content;
  auto signature = signer->sign(domain_of(message.envelope.sender), content, now);
  if (!signature) {
    spdlog::error("delivery: queue={} DKIM signing failed, sending unsigned: {}", message.id, signature.error().detail);
    return content;
  }
  return *signature + content;
}

std::vector<RecipientOutcome> deliver_local(Stores stores, const Job& job, std::int64_t now) {
  std::vector<RecipientOutcome> out;
  auto fail_all = [&](Failure f) {
    for (auto i : job.recipients) out.push_back(RecipientOutcome{i, OutcomeKind::transient, f, {}, true, {}});
    return out;
  };
  auto content = stores.queue.read_content(*job.message);
  if (!content) return fail_all(local_failure(false, "4.3.0", "cannot read the queued message: " + content.error().detail));
  std::string with_path = "Return-Path: <" + job.message->envelope.sender + ">\r\n" + *content;
  auto blob = stores.mail.store_blob(with_path);
  if (!blob) return fail_all(local_failure(false, "4.3.0", "cannot store the message: " + blob.error().detail));
  store::NewMessage message;
  message.internal_date = now;
  for (auto i : job.recipients) {
    const auto& address = job.message->recipients[i].recipient.address;
    RecipientOutcome o{i, OutcomeKind::delivered, {}, {}, true, {}};
    auto resolution = stores.directory.resolve(address);
    if (!resolution) {
      bool unknown = resolution.error().code == Errc::not_found;
      o.kind = unknown ? OutcomeKind::permanent : OutcomeKind::transient;
      o.failure = local_failure(unknown, unknown ? "5.1.1" : "4.3.0",
                                unknown ? "no such local recipient" : "directory: " + resolution.error().detail);
      out.push_back(std::move(o));
      continue;
    }
    for (const auto& target : resolution->local) {
      auto delivered = stores.mail.deliver(target, *blob, message);
      if (delivered) {
        if (stores.delivered_to) stores.delivered_to(target.account_id());
        continue;
      }
      const auto& e = delivered.error();
      bool too_big = e.code == Errc::too_big ||
                     (e.code == Errc::quota_exceeded && target.quota_bytes() && blob->size() > target.quota_bytes());
      if (too_big) {
        o.kind = OutcomeKind::permanent;
        o.failure = local_failure(true, "5.2.2", "mailbox full: the message is larger than the quota");
      } else if (o.kind == OutcomeKind::delivered) {
        o.kind = OutcomeKind::transient;
        o.failure = local_failure(false, e.code == Errc::quota_exceeded ? "4.2.2" : "4.3.0",
                                  e.code == Errc::quota_exceeded ? "mailbox full" : "local delivery failed");
      }
    }
    if (!resolution->remote.empty()) {
      spdlog::warn("delivery: queue={} {} leads to remote addresses; not forwarded on retry", job.message->id, address);
    }
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::vector<std::string>> finish_job(Stores stores, const JobSettings& settings, const Job& job,
                                            const std::vector<RecipientOutcome>& outcomes, std::int64_t now) {
  static std::atomic<std::uint64_t> dsn_counter{0};
  const auto& m = *job.message;
  std::vector<store::RecipientUpdate> updates;
  std::vector<DsnRecipient> dsn;
  std::vector<std::string> lines;
  for (const auto& o : outcomes) {
    const auto& r = m.recipients[o.index];
    store::RecipientUpdate u;
    u.position = r.position;
    u.last_tls = o.tls;
    DsnRecipient d;
    d.address = r.recipient.address;
    d.orcpt = r.recipient.orcpt;
    d.remote_mta = o.remote_mta;
    d.diagnostic = o.failure.diagnostic;
    d.diagnostic_is_smtp = o.failure.from_server;
    d.status = o.failure.status;
    std::string outcome;
    switch (o.kind) {
      case OutcomeKind::delivered:
        u.state = store::QueueState::delivered;
        outcome = "delivered";
        if (!o.remote_has_dsn && should_notify(r.recipient.notify, DsnAction::relayed)) {
          d.action = DsnAction::relayed;
          d.status = "2.0.0";
          d.diagnostic.clear();
          dsn.push_back(d);
        }
        break;
      case OutcomeKind::transient: {
        auto next = next_attempt(settings.retry, r.attempts + 1, now, m.created, m.envelope.expires);
        if (next) {
          u.state = store::QueueState::pending;
          u.next_attempt = *next;
          u.last_error = o.failure.diagnostic;
          outcome = fmt::format("deferred until {} ({})", rfc5322_date(*next), o.failure.diagnostic);
          break;
        }
        // Expired: the last transient error becomes a permanent one (RFC 3463 4.4.7).
        u.state = store::QueueState::failed;
        u.last_error = "expired: " + o.failure.diagnostic;
        d.status = "4.4.7";
        d.action = DsnAction::failed;
        outcome = "bounced: delivery time expired (" + o.failure.diagnostic + ")";
        if (should_notify(r.recipient.notify, DsnAction::failed)) dsn.push_back(d);
        break;
      }
      case OutcomeKind::permanent:
        u.state = store::QueueState::failed;
        u.last_error = o.failure.diagnostic;
        d.action = DsnAction::failed;
        outcome = "bounced (" + o.failure.diagnostic + ")";
        if (should_notify(r.recipient.notify, DsnAction::failed)) dsn.push_back(d);
        break;
    }
    updates.push_back(std::move(u));
    lines.push_back(o.tls.empty() ? fmt::format("to=<{}> {}", r.recipient.address, outcome)
                                  : fmt::format("to=<{}> {} tls={}", r.recipient.address, outcome, o.tls));
  }
  // Never a DSN to the null reverse path (RFC 5321 6.2): that is how bounce loops are avoided.
  if (!dsn.empty() && !m.envelope.sender.empty()) {
    auto content = stores.queue.read_content(m);
    DsnInput in;
    in.reporting_mta = settings.hostname;
    in.sender = m.envelope.sender;
    in.envid = m.envelope.envid;
    // RFC 8689 5: the report on a REQUIRETLS message may travel without TLS, so it returns only the header.
    in.ret = m.envelope.require_tls ? std::string("HDRS") : m.envelope.ret;
    in.arrival = m.created;
    in.now = now;
    in.message_id = fmt::format("dsn.{}.{}.{}", m.id, now, dsn_counter.fetch_add(1));
    in.recipients = std::move(dsn);
    in.original = content ? std::string_view(*content) : std::string_view();
    std::string report = build_dsn(in);
    // The DSN is queued before the outcome is recorded: a crash in between repeats the attempt (and at worst
    // the DSN), never loses it.
    BULWARK_TRY_ASSIGN(auto blob, stores.mail.store_blob(report));
    store::QueueEnvelope envelope;
    envelope.recipients.push_back(store::QueueRecipient{m.envelope.sender, "", "", "", ""});
    BULWARK_TRY_ASSIGN(auto dsn_id, stores.queue.enqueue(blob, envelope));
    lines.push_back(fmt::format("DSN to <{}> queued as {}", m.envelope.sender, dsn_id));
  }
  auto recorded = stores.queue.record(m.id, updates);
  if (!recorded && recorded.error().code != Errc::not_found) return tl::unexpected(recorded.error());
  return lines;
}

}  // namespace bulwark::delivery

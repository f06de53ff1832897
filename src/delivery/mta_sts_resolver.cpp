#include "delivery/mta_sts_resolver.h"

#include <spdlog/spdlog.h>

#include "delivery/mta_sts_fetch.h"

namespace bulwark::delivery {
namespace {

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::optional<MtaStsApplied> applied(const CachedPolicy& c) {
  if (c.policy.mode == parse::mta_sts::Mode::none) return std::nullopt;
  return MtaStsApplied{c.id, c.policy};
}

}  // namespace

net::awaitable<std::optional<MtaStsApplied>> MtaStsResolver::policy_for(std::string domain, MtaStsSettings s,
                                                                        net::BlockingExecutor blocking) {
  DnsResolver* dns = &dns_;
  MtaStsCache* cache = &cache_;
  const std::string txt_name = "_mta-sts." + domain;
  auto lookup = [dns, txt_name] { return dns->lookup_txt(txt_name); };
  auto records = co_await net::run_blocking(blocking, std::move(lookup));
  auto load = [cache, domain] { return cache->get(domain); };
  auto cached = co_await net::run_blocking(blocking, std::move(load));
  const auto now = now_seconds();
  const bool cached_fresh = cached && cached->is_fresh(now);

  // 3.1: exactly one record starting with v=STSv1, else the domain has no (usable) record.
  std::optional<parse::mta_sts::TxtRecord> txt;
  std::size_t sts_records = 0;
  if (records) {
    for (const auto& r : *records) {
      if (!r.starts_with("v=STSv1")) continue;
      ++sts_records;
      if (auto parsed = parse::mta_sts::parse_txt_record(r)) txt = std::move(*parsed);
    }
    if (sts_records != 1) txt.reset();
  } else {
    spdlog::warn("delivery: MTA-STS {}: TXT lookup failed: {}", domain, records.error().detail);
  }
  if (!txt) {
    // 5.1: no record now, but an unexpired cached policy stays in force.
    if (cached_fresh) co_return applied(*cached);
    co_return std::nullopt;
  }
  if (cached_fresh && cached->id == txt->id) co_return applied(*cached);

  const std::string host = "mta-sts." + domain;
  auto resolve = [dns, host] { return dns->lookup_addresses(host); };
  auto addresses = co_await net::run_blocking(blocking, std::move(resolve));
  Result<std::string> body = fail(Errc::temporary_failure, "no address");
  if (!addresses) {
    body = tl::unexpected(addresses.error());
  } else {
    PolicyFetch fetch;
    fetch.domain = domain;
    fetch.addresses = *addresses;
    fetch.port = s.port;
    fetch.timeout = s.timeout;
    fetch.max_bytes = s.max_bytes;
    fetch.allow_private_addresses = s.allow_private_addresses;
    fetch.tls = tls_;
    body = co_await fetch_mta_sts_policy(std::move(fetch));
  }
  Result<parse::mta_sts::Policy> policy = fail(Errc::invalid_syntax, "");
  if (body) {
    policy = parse::mta_sts::parse_policy(*body);
    if (!policy) body = tl::unexpected(policy.error());
  }
  if (!body) {
    if (cached_fresh) {
      spdlog::warn("delivery: MTA-STS {}: policy fetch failed ({}); using the cached policy id={}", domain,
                   body.error().detail, cached->id);
      co_return applied(*cached);
    }
    spdlog::warn("delivery: MTA-STS {}: policy fetch failed ({}); delivering without MTA-STS", domain,
                 body.error().detail);
    co_return std::nullopt;
  }
  CachedPolicy fresh{txt->id, now, std::move(*body), std::move(*policy)};
  spdlog::info("delivery: MTA-STS {}: fetched policy id={} mode={} max_age={}", domain, fresh.id,
               parse::mta_sts::mode_name(fresh.policy.mode), fresh.policy.max_age);
  auto store = [cache, domain, fresh] { return cache->put(domain, fresh); };
  auto stored = co_await net::run_blocking(blocking, std::move(store));
  if (!stored) spdlog::error("delivery: MTA-STS {}: cannot cache the policy: {}", domain, stored.error().detail);
  co_return applied(fresh);
}

}  // namespace bulwark::delivery

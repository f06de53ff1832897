// Finds the MTA-STS policy that applies to a destination domain (RFC 8461 5.1): the `_mta-sts.<domain>` TXT
// record, the cached policy when its id matches and max_age has not passed, otherwise a fresh fetch
// (mta_sts_fetch.h) that replaces the cache. A failed fetch falls back to a fresh cached policy, else to no
// policy (the RFC's behaviour for a domain whose policy cannot be had: deliver as without MTA-STS); every such
// step is logged.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "delivery/dns_resolver.h"
#include "delivery/mta_sts_cache.h"
#include "delivery/tls_policy.h"
#include "net/asio.h"
#include "net/blocking.h"

namespace bulwark::delivery {

struct MtaStsSettings {
  std::uint16_t port = 443;
  std::chrono::seconds timeout{20};
  std::size_t max_bytes = 64 * 1024;
  bool allow_private_addresses = false;
};

class MtaStsResolver {
 public:
  MtaStsResolver(DnsResolver& dns, std::filesystem::path cache_dir, std::shared_ptr<net::asio::ssl::context> tls)
      : dns_(dns), cache_(std::move(cache_dir)), tls_(std::move(tls)) {}

  // The policy in force for `domain` (mode enforce or testing), nullopt when none (or mode none).
  net::awaitable<std::optional<MtaStsApplied>> policy_for(std::string domain, MtaStsSettings settings,
                                                          net::BlockingExecutor blocking);

 private:
  DnsResolver& dns_;
  MtaStsCache cache_;
  std::shared_ptr<net::asio::ssl::context> tls_;
};

}  // namespace bulwark::delivery

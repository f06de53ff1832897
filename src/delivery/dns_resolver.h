// DNS for outbound routing through libunbound (docs/adr/0004-outbound.md says why libunbound): MX lookup with
// fallback to the domain's own A/AAAA (RFC 5321 5.1), null MX (RFC 7505) and address lookups. Calls block (one
// libunbound foreground query per call; the context and its cache are shared and thread-safe), so they run on
// the blocking pool.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"

struct ub_ctx;

namespace bulwark::delivery {

struct MxHost {
  std::string name;  // without the trailing dot, lower case
  std::uint16_t preference = 0;
};

// One host to try, in order, with its addresses (IPv4 first: most receivers are reachable over it).
struct RouteHost {
  std::string name;
  std::vector<std::string> addresses;
};

// Errc::not_found: the domain does not exist (NXDOMAIN), or has neither MX nor address: permanent.
// Errc::permission_denied: the domain publishes a null MX (RFC 7505): it accepts no mail, permanent.
// Errc::temporary_failure: SERVFAIL, timeout, no reachable server: try again later.
class DnsResolver {
 public:
  // `server` "ip:port" forwards every query there (tests, a local validating resolver); empty reads
  // /etc/resolv.conf.
  static Result<std::unique_ptr<DnsResolver>> create(const std::string& server);
  ~DnsResolver();
  DnsResolver(const DnsResolver&) = delete;
  DnsResolver& operator=(const DnsResolver&) = delete;

  // MX records sorted by preference; empty when the domain exists without MX (then use the domain itself).
  [[nodiscard]] Result<std::vector<MxHost>> lookup_mx(const std::string& domain);
  // A then AAAA addresses as text; empty when the name has none.
  [[nodiscard]] Result<std::vector<std::string>> lookup_addresses(const std::string& host);
  // TXT records of `name`, each record's character-strings concatenated (RFC 7208 3.3 style); empty when the
  // name has none or does not exist (a missing TXT record is not an error for its callers, e.g. MTA-STS).
  [[nodiscard]] Result<std::vector<std::string>> lookup_txt(const std::string& name);
  // The hosts to try for mail to `domain`, at most `max_hosts`, each with its addresses.
  [[nodiscard]] Result<std::vector<RouteHost>> route(const std::string& domain, std::size_t max_hosts);

 private:
  explicit DnsResolver(ub_ctx* ctx) : ctx_(ctx) {}
  ub_ctx* ctx_;
};

// Splits "host:port" / "[v6]:port". invalid_argument when malformed.
Result<std::pair<std::string, std::uint16_t>> split_host_port(const std::string& text);
bool is_ip_literal(const std::string& host);

}  // namespace bulwark::delivery

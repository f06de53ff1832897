// The MTA-STS policy fetch (RFC 8461 3.3): GET https://mta-sts.<domain>/.well-known/mta-sts.txt over HTTPS
// with a PKIX-valid certificate for mta-sts.<domain>, HTTP 200 only (redirects are not followed), media type
// text/plain, a body of at most max_bytes, all within one timeout.
//
// SSRF guard: the caller passes the addresses it resolved; only those classify_address() calls global are
// used (unless allow_private_addresses, for tests), and the connection goes to exactly the address checked.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "net/asio.h"

namespace bulwark::delivery {

struct PolicyFetch {
  std::string domain;                  // the policy domain; the host fetched is "mta-sts." + domain
  std::vector<std::string> addresses;  // what mta-sts.<domain> resolved to
  std::uint16_t port = 443;
  std::chrono::seconds timeout{20};
  std::size_t max_bytes = 64 * 1024;
  bool allow_private_addresses = false;
  std::shared_ptr<net::asio::ssl::context> tls;  // verify_peer, with the trusted CAs loaded
};

// The policy body. permission_denied when the SSRF guard refused every address; temporary_failure otherwise.
net::awaitable<Result<std::string>> fetch_mta_sts_policy(PolicyFetch fetch);

}  // namespace bulwark::delivery

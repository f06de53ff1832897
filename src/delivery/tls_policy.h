// What one outbound connection demands of TLS, decided before connecting (docs/adr/0004-outbound.md "TLS
// policy"), and the one place where a server certificate is checked.
//
// Sources, strongest first: REQUIRETLS on the message (RFC 8689: STARTTLS, a certificate valid for the MX name,
// and the next hop must offer REQUIRETLS; failures bounce with 5.7.30), MTA-STS enforce (RFC 8461 5: only MX
// hosts the policy names, STARTTLS, certificate valid for the MX name; failures defer), require_tls_domains and
// the relay (STARTTLS with a PKIX-valid certificate; failures defer). MTA-STS testing verifies and only logs.
// Everything else is opportunistic (RFC 7435): STARTTLS when offered, unverified, clear text if TLS fails.
#pragma once

#include <optional>
#include <string>

#include "parse/mta_sts/mta_sts_policy.h"

typedef struct ssl_st SSL;

namespace bulwark::delivery {

struct MtaStsApplied {
  std::string id;                   // the TXT record's id the policy was fetched under
  parse::mta_sts::Policy policy;
};

struct TlsRequirement {
  bool tls_required = false;   // a host without (working) STARTTLS is not used
  bool verify = false;         // the certificate must be valid for the host name (PKIX, system + tls_ca_file)
  bool report_only = false;    // MTA-STS testing: verify, log a failure, deliver anyway
  bool requiretls = false;     // RFC 8689: the next hop must offer REQUIRETLS; failures are permanent 5.7.30
  std::optional<MtaStsApplied> mta_sts;  // the domain's policy (enforce or testing), for MX filtering and logs
  std::string source;          // why: "REQUIRETLS", "MTA-STS enforce", "require_tls_domains", "relay", ...

  // The RFC 3463 status and permanence of a failure to meet this requirement.
  bool failure_is_permanent() const { return requiretls; }
  std::string failure_status() const { return requiretls ? "5.7.30" : "4.7.5"; }
};

// Before the handshake: have OpenSSL check the peer certificate's chain and its name against `name` (a DNS
// name, matched per RFC 6125 with one leftmost wildcard label, or an IP literal, matched against IP SANs).
// The handshake itself does not fail on a bad certificate; the caller asks peer_verification_error() after.
void expect_peer_identity(SSL* ssl, const std::string& name);
// After the handshake: nullopt when the chain and name verified, else why not ("certificate has expired").
std::optional<std::string> peer_verification_error(SSL* ssl);

// The log and queue-state description of what one connection's TLS was:
// "none", "opportunistic TLSv1.3 with cipher X", "verified PKIX (require_tls_domains) TLSv1.3 ...",
// "MTA-STS enforce policy id=ID verified PKIX TLSv1.3 ...", "DANE-verified TLSv1.3 ..." (`dane`: the
// certificate was authenticated by TLSA records, which take the place of PKIX, RFC 8461 2).
std::string describe_tls(const TlsRequirement& requirement, bool is_tls, bool verified, const std::string& tls_version,
                         bool dane);

}  // namespace bulwark::delivery

// DANE for SMTP (RFC 7672): what one MX host's TLSA records demand of the connection, and the OpenSSL set-up
// that enforces it (OpenSSL's own DANE verifier, RFC 7671 semantics).
//
// Levels, per RFC 7672 2.2: a host whose MX RRset or addresses are not DNSSEC-secure, or whose secure TLSA
// lookup finds nothing, gets ordinary opportunistic TLS (`none`). A secure TLSA RRset without one usable record
// makes TLS mandatory but unauthenticated (`encrypt`). Usable DANE-TA(2) / DANE-EE(3) records make TLS mandatory
// and the certificate must match one of them (`verify`); a mismatch, a missing STARTTLS or a failed handshake
// defers the mail, never sends it in clear. A TLSA lookup that fails (bogus, SERVFAIL) rules the host out
// (`unavailable`): it is skipped and the mail deferred if no other host takes it.
//
// Reference identifiers (RFC 7672 3.2.2): the MX host name (the TLSA base domain) and the next-hop domain;
// they are checked only for DANE-TA; DANE-EE has no name checks (RFC 7672 3.1.1).
#pragma once

#include <openssl/ssl.h>

#include <string>
#include <vector>

#include "parse/dns/tlsa_record.h"

namespace bulwark::delivery {

struct RouteHost;
struct TlsaAnswer;

enum class DaneLevel { none, encrypt, verify, unavailable };

struct DanePolicy {
  DaneLevel level = DaneLevel::none;
  std::vector<parse::dns::TlsaRecord> records;  // the usable ones (level verify)
  std::string base_domain;                      // the MX host name
  std::string next_hop;                         // the recipient domain
  std::string error;                            // why the host is unavailable

  bool requires_tls() const { return level == DaneLevel::encrypt || level == DaneLevel::verify; }
};

// The policy for one host from its DNSSEC status and its TLSA lookup (made only for a secure host).
DanePolicy dane_policy(const RouteHost& host, const std::string& next_hop, const Result<TlsaAnswer>* tlsa);

// Once per SSL_CTX, before any connection from it uses DANE: registers the digests OpenSSL's DANE needs.
bool enable_dane(SSL_CTX* context);
// Before the handshake: turns on DANE verification of `ssl` for `policy` (level verify). False (with a reason in
// `error`) when OpenSSL refuses; then the connection must not go on.
bool apply_dane(SSL* ssl, const DanePolicy& policy, std::string& error);
// After a successful handshake: "DANE-EE(3) SPKI(1) SHA2-256(1) 2a3b... matched at depth 0", empty when DANE
// did not authenticate the peer.
std::string dane_match(SSL* ssl);
// After a failed handshake: the certificate verification error ("no matching DANE TLSA records"), or empty.
std::string dane_verify_error(SSL* ssl);

}  // namespace bulwark::delivery

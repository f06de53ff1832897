#include "delivery/tls_policy.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "delivery/dns_resolver.h"

namespace bulwark::delivery {

void expect_peer_identity(SSL* ssl, const std::string& name) {
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (is_ip_literal(name)) {
    X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
    return;
  }
  // RFC 6125 6.4.3: a wildcard only as the whole leftmost label ("*.example.com"), never partial ("m*.example").
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  SSL_set1_host(ssl, name.c_str());
}

std::optional<std::string> peer_verification_error(SSL* ssl) {
  X509* peer = SSL_get0_peer_certificate(ssl);
  if (!peer) return std::string("no server certificate");
  long result = SSL_get_verify_result(ssl);
  if (result == X509_V_OK) return std::nullopt;
  return std::string(X509_verify_cert_error_string(result));
}

std::string describe_tls(const TlsRequirement& r, bool is_tls, bool verified, const std::string& tls_version,
                         bool dane) {
  if (!is_tls) return "none";
  std::string out;
  if (r.requiretls) out = "REQUIRETLS ";
  if (r.mta_sts) {
    out += "MTA-STS " + std::string(parse::mta_sts::mode_name(r.mta_sts->policy.mode)) + " policy id=" + r.mta_sts->id + " ";
  }
  if (dane) out += "DANE-verified ";
  else if (verified) out += "verified PKIX ";
  else if (r.verify) out += "UNVERIFIED ";
  else out += "opportunistic ";
  if (!r.source.empty() && !r.mta_sts && !r.requiretls) out += "(" + r.source + ") ";
  return out + tls_version;
}

}  // namespace bulwark::delivery

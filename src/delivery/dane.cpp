#include "delivery/dane.h"

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "delivery/dns_resolver.h"

namespace bulwark::delivery {

DanePolicy dane_policy(const RouteHost& host, const std::string& next_hop, const Result<TlsaAnswer>* tlsa) {
  DanePolicy p;
  p.base_domain = host.name;
  p.next_hop = next_hop;
  if (!host.secure || tlsa == nullptr) return p;
  if (!*tlsa) {
    p.level = DaneLevel::unavailable;
    p.error = "DANE: TLSA lookup for " + host.name + " failed: " + tlsa->error().detail;
    return p;
  }
  const auto& answer = **tlsa;
  if (!answer.secure || answer.records.empty()) return p;  // insecure or a secure denial: opportunistic
  for (const auto& r : answer.records) {
    if (parse::dns::is_usable_for_smtp(r)) p.records.push_back(r);
  }
  p.level = p.records.empty() ? DaneLevel::encrypt : DaneLevel::verify;
  return p;
}

bool enable_dane(SSL_CTX* context) { return SSL_CTX_dane_enable(context) > 0; }

bool apply_dane(SSL* ssl, const DanePolicy& policy, std::string& error) {
  if (policy.level != DaneLevel::verify) return true;
  if (SSL_dane_enable(ssl, policy.base_domain.c_str()) <= 0) {
    error = "DANE: OpenSSL cannot enable DANE for " + policy.base_domain;
    return false;
  }
  // RFC 7672 3.2.2: the next-hop domain is a reference identifier too (it matters for DANE-TA only).
  if (!policy.next_hop.empty() && policy.next_hop != policy.base_domain) {
    SSL_add1_host(ssl, policy.next_hop.c_str());
  }
  SSL_dane_set_flags(ssl, DANE_FLAG_NO_DANE_EE_NAMECHECKS);
  int added = 0;
  for (const auto& r : policy.records) {
    const auto* data = reinterpret_cast<const unsigned char*>(r.data.data());
    // 0: a record OpenSSL does not support (skipped); negative: malformed.
    if (SSL_dane_tlsa_add(ssl, r.usage, r.selector, r.matching_type, data, r.data.size()) > 0) ++added;
  }
  if (added == 0) {
    error = "DANE: none of " + policy.base_domain + "'s TLSA records is supported";
    return false;
  }
  SSL_set_verify(ssl, SSL_VERIFY_PEER, nullptr);
  return true;
}

std::string dane_match(SSL* ssl) {
  if (SSL_get_verify_result(ssl) != X509_V_OK) return {};
  std::uint8_t usage = 0, selector = 0, matching = 0;
  const unsigned char* data = nullptr;
  std::size_t length = 0;
  int depth = SSL_get0_dane_tlsa(ssl, &usage, &selector, &matching, &data, &length);
  if (depth < 0) return {};
  parse::dns::TlsaRecord r{usage, selector, matching, std::string(reinterpret_cast<const char*>(data), length)};
  return parse::dns::describe(r) + " matched at depth " + std::to_string(depth);
}

std::string dane_verify_error(SSL* ssl) {
  long result = SSL_get_verify_result(ssl);
  if (result == X509_V_OK) return {};
  return X509_verify_cert_error_string(result);
}

}  // namespace bulwark::delivery

// DANE policy per MX host (RFC 7672 2.2) and the trust anchor file reader; the OpenSSL verification itself runs
// against real receivers in test/integration/test_outbound_dane.py.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "delivery/dane.h"
#include "delivery/dns_resolver.h"

namespace bulwark::delivery {
namespace {

parse::dns::TlsaRecord record(std::uint8_t usage, std::uint8_t selector, std::uint8_t matching, std::size_t size) {
  return parse::dns::TlsaRecord{usage, selector, matching, std::string(size, 'x')};
}

TEST(DanePolicy, InsecureHostOrNoLookupIsOpportunistic) {
  RouteHost insecure{"mx.example.net", {"192.0.2.1"}, false};
  Result<TlsaAnswer> answer = TlsaAnswer{true, {record(3, 1, 1, 32)}};
  EXPECT_EQ(dane_policy(insecure, "example.net", &answer).level, DaneLevel::none);
  RouteHost secure{"mx.example.net", {"192.0.2.1"}, true};
  EXPECT_EQ(dane_policy(secure, "example.net", nullptr).level, DaneLevel::none);
}

TEST(DanePolicy, LevelsFromTheTlsaAnswer) {
  RouteHost host{"mx.example.net", {"192.0.2.1"}, true};
  Result<TlsaAnswer> none = TlsaAnswer{true, {}};
  EXPECT_EQ(dane_policy(host, "example.net", &none).level, DaneLevel::none);
  Result<TlsaAnswer> insecure = TlsaAnswer{false, {record(3, 1, 1, 32)}};
  EXPECT_EQ(dane_policy(host, "example.net", &insecure).level, DaneLevel::none);
  Result<TlsaAnswer> unusable = TlsaAnswer{true, {record(1, 1, 1, 32), record(0, 0, 1, 32), record(3, 1, 1, 20)}};
  auto encrypt = dane_policy(host, "example.net", &unusable);
  EXPECT_EQ(encrypt.level, DaneLevel::encrypt);
  EXPECT_TRUE(encrypt.requires_tls());
  Result<TlsaAnswer> mixed = TlsaAnswer{true, {record(1, 1, 1, 32), record(3, 1, 1, 32), record(2, 0, 2, 64)}};
  auto verify = dane_policy(host, "example.net", &mixed);
  EXPECT_EQ(verify.level, DaneLevel::verify);
  EXPECT_EQ(verify.records.size(), 2u);
  EXPECT_EQ(verify.base_domain, "mx.example.net");
  EXPECT_EQ(verify.next_hop, "example.net");
  Result<TlsaAnswer> bogus = fail(Errc::temporary_failure, "DNSSEC validation failed");
  auto unavailable = dane_policy(host, "example.net", &bogus);
  EXPECT_EQ(unavailable.level, DaneLevel::unavailable);
  EXPECT_FALSE(unavailable.requires_tls());
  EXPECT_NE(unavailable.error.find("DNSSEC validation failed"), std::string::npos);
}

TEST(TrustAnchors, ReadsZoneFileLines) {
  auto path = std::filesystem::temp_directory_path() / ("bulwark-anchor-" + std::to_string(::getpid()));
  {
    std::ofstream out(path);
    out << "; a comment line\n"
           ". IN DS 20326 8 2 E06D44B8 ; keytag 20326\n"
           "\n"
           "dane.example. 60 IN DNSKEY 257 3 13 (\n"
           "   abcd\n"
           "   efgh )\n";
  }
  auto anchors = read_trust_anchors(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(anchors) << anchors.error().detail;
  ASSERT_EQ(anchors->size(), 2u);
  EXPECT_EQ((*anchors)[0], ". IN DS 20326 8 2 E06D44B8  ");
  EXPECT_NE((*anchors)[1].find("257 3 13"), std::string::npos);
  EXPECT_NE((*anchors)[1].find("abcd"), std::string::npos);
  EXPECT_NE((*anchors)[1].find("efgh"), std::string::npos);
  EXPECT_EQ((*anchors)[1].find('('), std::string::npos);
  EXPECT_FALSE(read_trust_anchors("/nonexistent/anchor.key"));
}

}  // namespace
}  // namespace bulwark::delivery

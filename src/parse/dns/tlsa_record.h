// TLSA records (RFC 6698 2.1): the RDATA as libunbound hands it over (certificate usage, selector, matching type,
// association data), their mnemonics (RFC 7218) and the rules of RFC 7672 3.1 for which of them an SMTP client
// may use: only DANE-TA(2) and DANE-EE(3); PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP, as are unknown
// selectors and matching types and digests of the wrong length. Pure and bounded; fuzzed (test/fuzz/dns).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::parse::dns {

// RFC 6698 / RFC 7218 code points.
inline constexpr std::uint8_t kUsagePkixTa = 0;
inline constexpr std::uint8_t kUsagePkixEe = 1;
inline constexpr std::uint8_t kUsageDaneTa = 2;
inline constexpr std::uint8_t kUsageDaneEe = 3;
inline constexpr std::uint8_t kSelectorCert = 0;
inline constexpr std::uint8_t kSelectorSpki = 1;
inline constexpr std::uint8_t kMatchingFull = 0;
inline constexpr std::uint8_t kMatchingSha256 = 1;
inline constexpr std::uint8_t kMatchingSha512 = 2;

struct TlsaRecord {
  std::uint8_t usage = 0;
  std::uint8_t selector = 0;
  std::uint8_t matching_type = 0;
  std::string data;  // the certificate association data (binary)

  bool operator==(const TlsaRecord&) const = default;
};

// One TLSA RDATA: three octets and at least one octet of association data. invalid_syntax otherwise.
[[nodiscard]] Result<TlsaRecord> parse_tlsa_rdata(std::string_view rdata);

// RFC 7672 3.1: DANE-TA or DANE-EE, a known selector, and a known matching type whose digest has its length.
bool is_usable_for_smtp(const TlsaRecord& record);

// "DANE-EE(3) SPKI(1) SHA2-256(1) 2a3b4c5d..." (the first 8 octets of the data in hex): for logs and queue state.
std::string describe(const TlsaRecord& record);

// The TLSA owner name for an SMTP server (RFC 7672 2.2.3): "_25._tcp.mx.example.net".
std::string tlsa_owner(std::uint16_t port, std::string_view host);

}  // namespace bulwark::parse::dns

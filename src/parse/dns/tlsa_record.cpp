#include "parse/dns/tlsa_record.h"

namespace bulwark::parse::dns {
namespace {

std::string_view usage_name(std::uint8_t usage) {
  switch (usage) {
    case kUsagePkixTa: return "PKIX-TA";
    case kUsagePkixEe: return "PKIX-EE";
    case kUsageDaneTa: return "DANE-TA";
    case kUsageDaneEe: return "DANE-EE";
    default: return "usage";
  }
}

std::string_view selector_name(std::uint8_t selector) {
  switch (selector) {
    case kSelectorCert: return "Cert";
    case kSelectorSpki: return "SPKI";
    default: return "selector";
  }
}

std::string_view matching_name(std::uint8_t matching) {
  switch (matching) {
    case kMatchingFull: return "Full";
    case kMatchingSha256: return "SHA2-256";
    case kMatchingSha512: return "SHA2-512";
    default: return "matching";
  }
}

}  // namespace

Result<TlsaRecord> parse_tlsa_rdata(std::string_view rdata) {
  if (rdata.size() < 4) return fail(Errc::invalid_syntax, "TLSA record data too short");
  TlsaRecord r;
  r.usage = static_cast<std::uint8_t>(rdata[0]);
  r.selector = static_cast<std::uint8_t>(rdata[1]);
  r.matching_type = static_cast<std::uint8_t>(rdata[2]);
  r.data.assign(rdata.substr(3));
  return r;
}

bool is_usable_for_smtp(const TlsaRecord& r) {
  if (r.usage != kUsageDaneTa && r.usage != kUsageDaneEe) return false;
  if (r.selector != kSelectorCert && r.selector != kSelectorSpki) return false;
  switch (r.matching_type) {
    case kMatchingFull: return !r.data.empty();
    case kMatchingSha256: return r.data.size() == 32;
    case kMatchingSha512: return r.data.size() == 64;
    default: return false;
  }
}

std::string describe(const TlsaRecord& r) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out += usage_name(r.usage);
  out += "(" + std::to_string(r.usage) + ") ";
  out += selector_name(r.selector);
  out += "(" + std::to_string(r.selector) + ") ";
  out += matching_name(r.matching_type);
  out += "(" + std::to_string(r.matching_type) + ") ";
  constexpr std::size_t kShown = 8;
  for (std::size_t i = 0; i < r.data.size() && i < kShown; ++i) {
    auto octet = static_cast<unsigned char>(r.data[i]);
    out += kHex[octet >> 4];
    out += kHex[octet & 0xf];
  }
  if (r.data.size() > kShown) out += "...";
  return out;
}

std::string tlsa_owner(std::uint16_t port, std::string_view host) {
  return "_" + std::to_string(port) + "._tcp." + std::string(host);
}

}  // namespace bulwark::parse::dns

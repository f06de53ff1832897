#include "domain/mail/address.h"

#include <idn2.h>

#include "base/utf8.h"

#include <cstdlib>
#include <memory>

namespace bulwark::domain::mail {
namespace {

bool is_atext(unsigned char c) {
  if (c >= 0x80) return true;  // UTF-8 (RFC 6531); the validity of the sequence is checked below
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  std::string_view specials = "!#$%&'*+-/=?^_`{|}~";
  return specials.find(static_cast<char>(c)) != std::string_view::npos;
}



bool is_ldh_label(std::string_view label) {
  if (label.empty() || label.size() > kMaxLabelBytes) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Result<std::string> normalize_domain(std::string_view domain) {
  if (domain.empty()) return fail(Errc::invalid_argument, "empty domain");
  if (domain.size() > 4 * kMaxDomainBytes) return fail(Errc::invalid_argument, "domain too long");
  if (domain.back() == '.') domain.remove_suffix(1);  // a fully qualified spelling is the same domain
  std::string lower = ascii_lower(domain);
  bool ascii = true;
  for (char c : lower) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  std::string alabel;
  if (ascii) {
    alabel = lower;
  } else {
    if (!is_valid_utf8(lower)) return fail(Errc::invalid_argument, "domain is not valid UTF-8");
    char* out = nullptr;
    int rc = idn2_to_ascii_8z(lower.c_str(), &out, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    std::unique_ptr<char, decltype(&std::free)> holder(out, &std::free);
    if (rc != IDN2_OK) {
      return fail(Errc::invalid_argument, std::string("invalid international domain: ") + idn2_strerror(rc));
    }
    alabel = ascii_lower(out);
  }
  if (alabel.size() > kMaxDomainBytes) return fail(Errc::invalid_argument, "domain longer than 253 octets");
  std::size_t labels = 0;
  std::size_t start = 0;
  while (start <= alabel.size()) {
    auto dot = alabel.find('.', start);
    auto label = std::string_view(alabel).substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!is_ldh_label(label)) {
      return fail(Errc::invalid_argument, "invalid domain label '" + std::string(label) + "' in '" +
                                              std::string(domain) + "'");
    }
    ++labels;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (labels < 2 && alabel != "localhost") {
    return fail(Errc::invalid_argument, "domain '" + std::string(domain) + "' needs at least two labels");
  }
  return alabel;
}

Result<Address> parse_address(std::string_view text) {
  auto at = text.rfind('@');
  if (at == std::string_view::npos) return fail(Errc::invalid_argument, "address has no '@'");
  auto local = text.substr(0, at);
  auto domain = text.substr(at + 1);
  if (local.empty()) return fail(Errc::invalid_argument, "address has an empty local part");
  if (local.size() > kMaxLocalPartBytes) return fail(Errc::invalid_argument, "local part longer than 64 octets");
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return fail(Errc::invalid_argument, "local part has a misplaced '.'");
  }
  for (char c : local) {
    if (c != '.' && !is_atext(static_cast<unsigned char>(c))) {
      return fail(Errc::invalid_argument, "local part contains a character that is not allowed");
    }
  }
  if (!is_valid_utf8(local)) return fail(Errc::invalid_argument, "local part is not valid UTF-8");
  auto normalized = normalize_domain(domain);
  if (!normalized) return fail(normalized.error().code, normalized.error().detail);
  return Address{std::string(local), *normalized};
}

}  // namespace bulwark::domain::mail

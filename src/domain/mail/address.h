// Email addresses as the directory stores them: `local@domain`, the domain lower-cased and, if international,
// converted to its A-label (RFC 5890, IDNA2008 via libidn2) so that one domain has one spelling.
// The local part is kept as written; whether it is compared case-insensitively is the domain's policy
// (see store/directory_store.h), the RFC 5321 2.4 default being "case-sensitive, but be liberal".
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::domain::mail {

inline constexpr std::size_t kMaxLocalPartBytes = 64;   // RFC 5321 4.5.3.1.1
inline constexpr std::size_t kMaxDomainBytes = 253;     // RFC 1035 (255 with the root dot and length octets)
inline constexpr std::size_t kMaxLabelBytes = 63;

struct Address {
  std::string local_part;
  std::string domain;  // A-label form, lower case
  std::string to_string() const { return local_part + "@" + domain; }
  bool operator==(const Address&) const = default;
};

// Converts a domain name (U-label or A-label, any case) to lower-case A-labels and checks it is a valid host
// name: LDH labels of 1..63 octets, at least two labels, no leading or trailing hyphen.
[[nodiscard]] Result<std::string> normalize_domain(std::string_view domain);

// Parses "local@domain" as an admin or a login name writes it (no angle brackets, no display name).
// The local part is a dot-atom of atext (RFC 5322 3.2.3), UTF-8 allowed (RFC 6531).
[[nodiscard]] Result<Address> parse_address(std::string_view text);

// Lower-cases ASCII letters; UTF-8 bytes pass through unchanged.
std::string ascii_lower(std::string_view text);

}  // namespace bulwark::domain::mail

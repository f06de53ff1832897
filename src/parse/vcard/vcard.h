// A vCard 3.0 (RFC 2426) or 4.0 (RFC 6350) object as CardDAV stores it (RFC 6352 5.1): exactly one VCARD with
// VERSION, FN and UID. Lines are unfolded (RFC 6350 3.2) and split into group, name, parameters and value; the
// value stays as written (escapes are not undone) because the server only matches text and hands the object
// back byte for byte. Bounded: size, line count and property count; never throws on bad input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bulwark::parse::vcard {

struct VCardProperty {
  std::string group;       // "item1" in "item1.EMAIL", else empty
  std::string name;        // upper case: "EMAIL"
  std::string parameters;  // as written after the name, without the leading ';'
  std::string value;
};

struct VCard {
  std::string version;  // "3.0" or "4.0"
  std::string uid;
  std::string formatted_name;
  std::vector<VCardProperty> properties;  // without BEGIN, END and VERSION

  // Does some property `name` contain `needle` (ASCII case-insensitive)? An empty needle: is it defined?
  bool matches(std::string_view name, std::string_view needle) const;
};

struct VCardLimits {
  std::size_t max_bytes = 1 << 20;
  std::size_t max_properties = 5000;
};

// invalid_syntax with a reason written for the client ("valid-address-data" in CardDAV terms).
[[nodiscard]] Result<VCard> parse_vcard(std::string_view text, const VCardLimits& limits);

}  // namespace bulwark::parse::vcard

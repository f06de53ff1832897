// The rule shared by PLAIN and LOGIN fields: at most kMaxFieldOctets, no NUL, well-formed UTF-8
// (RFC 4616 2 UTF8SAFE; RFC 3629). Internal to bulwark_parse_sasl.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/result.h"

namespace bulwark::parse::sasl::detail {

[[nodiscard]] Status check_field(std::string_view value, std::string_view name, std::size_t max_octets);

}  // namespace bulwark::parse::sasl::detail

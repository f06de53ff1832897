// SASL PLAIN (RFC 4616 2): message = [authzid] UTF8NUL authcid UTF8NUL passwd, after base64 decoding.
//
// Exactly two NUL separators; each field at most kMaxPlainFieldOctets (255, as RFC 4616 2 bounds
// authcid/passwd) and well-formed UTF-8; authcid and passwd non-empty; authzid may be empty (then the
// client acts as itself). Errors: Errc::invalid_syntax, or Errc::too_big for a field over the limit;
// the detail never contains the password. Contract: pure, never throws on input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::parse::sasl {

inline constexpr std::size_t kMaxPlainFieldOctets = 255;

struct PlainCredentials {
  std::string authzid;   // authorization identity; empty = same as authcid
  std::string authcid;   // authentication identity (user name)
  std::string password;
};

[[nodiscard]] Result<PlainCredentials> parse_plain(std::string_view decoded);

// The inverse, for tests and the SMTP client: authzid NUL authcid NUL passwd (not base64-encoded).
[[nodiscard]] std::string format_plain(const PlainCredentials& credentials);

}  // namespace bulwark::parse::sasl

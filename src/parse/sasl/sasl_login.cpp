#include "parse/sasl/sasl_login.h"

#include "parse/sasl/base64.h"
#include "parse/sasl/sasl_field.h"

namespace bulwark::parse::sasl {
namespace {

Result<std::string> parse_login_field(std::string_view line, std::string_view name) {
  auto decoded = base64_decode(line, kMaxLoginFieldOctets);
  if (!decoded) return tl::unexpected(decoded.error());
  if (auto checked = detail::check_field(*decoded, name, kMaxLoginFieldOctets); !checked) {
    return tl::unexpected(checked.error());
  }
  if (decoded->empty()) return fail(Errc::invalid_syntax, "empty " + std::string(name));
  return decoded;
}

}  // namespace

Result<std::string> parse_login_username(std::string_view line) { return parse_login_field(line, "user name"); }

Result<std::string> parse_login_password(std::string_view line) { return parse_login_field(line, "password"); }

}  // namespace bulwark::parse::sasl

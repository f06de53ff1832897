#include "parse/sasl/sasl_plain.h"

#include "parse/sasl/sasl_field.h"

namespace bulwark::parse::sasl {

Result<PlainCredentials> parse_plain(std::string_view decoded) {
  const std::size_t first = decoded.find('\0');
  if (first == std::string_view::npos) return fail(Errc::invalid_syntax, "PLAIN message needs two NUL separators");
  const std::size_t second = decoded.find('\0', first + 1);
  if (second == std::string_view::npos) return fail(Errc::invalid_syntax, "PLAIN message needs two NUL separators");
  const std::string_view authzid = decoded.substr(0, first);
  const std::string_view authcid = decoded.substr(first + 1, second - first - 1);
  const std::string_view password = decoded.substr(second + 1);
  // A third NUL would sit inside the password.
  if (auto checked = detail::check_field(authzid, "authorization identity", kMaxPlainFieldOctets); !checked) {
    return tl::unexpected(checked.error());
  }
  if (auto checked = detail::check_field(authcid, "authentication identity", kMaxPlainFieldOctets); !checked) {
    return tl::unexpected(checked.error());
  }
  if (auto checked = detail::check_field(password, "password", kMaxPlainFieldOctets); !checked) {
    return tl::unexpected(checked.error());
  }
  if (authcid.empty()) return fail(Errc::invalid_syntax, "empty authentication identity");
  if (password.empty()) return fail(Errc::invalid_syntax, "empty password");
  return PlainCredentials{std::string(authzid), std::string(authcid), std::string(password)};
}

std::string format_plain(const PlainCredentials& credentials) {
  std::string out;
  out.reserve(credentials.authzid.size() + credentials.authcid.size() + credentials.password.size() + 2);
  out.append(credentials.authzid).push_back('\0');
  out.append(credentials.authcid).push_back('\0');
  out.append(credentials.password);
  return out;
}

}  // namespace bulwark::parse::sasl

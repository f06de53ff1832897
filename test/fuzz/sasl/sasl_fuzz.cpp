// libFuzzer target: strict base64, SASL PLAIN and LOGIN (parse/sasl). Checks: decoding accepts only the
// canonical encoding (decode then encode gives the input back), encode then decode round-trips, and a
// parsed PLAIN message formats back to the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "parse/sasl/base64.h"
#include "parse/sasl/sasl_login.h"
#include "parse/sasl/sasl_plain.h"

namespace {

using namespace bulwark::parse::sasl;

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  if (auto decoded = base64_decode(input)) {
    check(base64_encode(*decoded) == input);
    if (auto credentials = parse_plain(*decoded)) check(format_plain(*credentials) == *decoded);
  }
  const std::string encoded = base64_encode(input);
  check(encoded.size() == base64_encoded_length(input.size()));
  auto round_trip = base64_decode(encoded, input.size());
  check(round_trip.has_value() && *round_trip == input);

  if (auto credentials = parse_plain(input)) {
    check(!credentials->authcid.empty() && !credentials->password.empty());
    check(credentials->authzid.size() <= kMaxPlainFieldOctets && credentials->authcid.size() <= kMaxPlainFieldOctets &&
          credentials->password.size() <= kMaxPlainFieldOctets);
    check(format_plain(*credentials) == input);
  }
  if (auto user = parse_login_username(input)) {
    check(!user->empty() && user->size() <= kMaxLoginFieldOctets);
    check(base64_encode(*user) == input);
  }
  (void)parse_login_password(input);
  return 0;
}

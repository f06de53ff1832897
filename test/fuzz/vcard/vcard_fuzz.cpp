// libFuzzer target: vCard objects (parse/vcard/vcard.h). Beyond "no crash": an accepted card has a version of
// 3.0 or 4.0, a UID and an FN, upper-case property names, and stays within the property limit.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parse/vcard/vcard.h"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  bulwark::parse::vcard::VCardLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.max_properties = 100;
  auto card = bulwark::parse::vcard::parse_vcard(text, limits);
  if (!card) return 0;
  check(card->version == "3.0" || card->version == "4.0");
  check(!card->uid.empty() && !card->formatted_name.empty());
  check(card->properties.size() <= limits.max_properties + 1);
  for (const auto& p : card->properties) {
    for (char c : p.name) check(!(c >= 'a' && c <= 'z'));
  }
  check(card->matches("FN", ""));
  return 0;
}

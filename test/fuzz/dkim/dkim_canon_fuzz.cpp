// libFuzzer target: DKIM relaxed canonicalization (parse/dkim/dkim_canon.h) of a whole message, as the signer
// runs it over every outgoing message. Checks beyond "no crash": canonical output is idempotent (canonicalizing
// it again changes nothing), headers are "lower-name:value" + CRLF with no bare CR/LF and no WSP runs in the
// value, and the
// body never ends in an empty line.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "parse/dkim/dkim_canon.h"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark::parse::dkim;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto split = split_message(input);
  for (const auto& field : split.fields) {
    std::string canon = relaxed_header(field.raw);
    check(canon.size() >= 3 && canon.ends_with("\r\n"));
    std::string_view line(canon.data(), canon.size() - 2);
    check(line.find('\r') == std::string_view::npos && line.find('\n') == std::string_view::npos);
    auto colon = line.find(':');
    check(colon != std::string_view::npos);
    // The value is unfolded with single spaces; a (malformed) name keeps whatever it had, minus CR/LF.
    auto value = line.substr(colon + 1);
    check(value.find("  ") == std::string_view::npos && value.find('\t') == std::string_view::npos);
    check(value.empty() || (value.front() != ' ' && value.back() != ' '));
    for (char c : line.substr(0, colon)) check(!(c >= 'A' && c <= 'Z'));
    check(relaxed_header(line) == canon);
  }
  std::string body = relaxed_body(split.body);
  check(body.empty() || (body.ends_with("\r\n") && !body.ends_with("\r\n\r\n") && body != "\r\n"));
  check(relaxed_body(body) == body);
  std::vector<std::string> names;
  auto selected = select_fields(split, {"from", "to", "to", "subject"}, &names);
  check(selected.size() == names.size() && selected.size() <= 4);
  return 0;
}

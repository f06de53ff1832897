// libFuzzer target: the MTA-STS TXT record and policy parsers (parse/mta_sts/mta_sts_policy.h) on bytes from
// the network. Checks beyond "no crash": a parsed policy respects the limits and its own invariants (mx
// patterns lower case and matching themselves, max_age clamped), and the TXT id is 1-32 alphanumerics.
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parse/mta_sts/mta_sts_policy.h"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark::parse::mta_sts;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto txt = parse_txt_record(input)) {
    check(!txt->id.empty() && txt->id.size() <= 32);
    for (char c : txt->id) check(std::isalnum(static_cast<unsigned char>(c)) != 0);
  }
  if (auto policy = parse_policy(input)) {
    check(policy->max_age <= kMaxMaxAge);
    check(policy->mx.size() <= kMaxMxPatterns);
    check(policy->mode == Mode::none || !policy->mx.empty());
    for (const auto& p : policy->mx) {
      for (char c : p) check(!(c >= 'A' && c <= 'Z'));
      if (!p.starts_with("*.")) check(mx_matches(p, p));
      else check(mx_matches(p, "x" + p.substr(1)));
    }
  }
  // The matcher on arbitrary pairs: split the input at the first newline.
  auto nl = input.find('\n');
  if (nl != std::string_view::npos) (void)mx_matches(input.substr(0, nl), input.substr(nl + 1));
  return 0;
}

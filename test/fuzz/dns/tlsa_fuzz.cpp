// libFuzzer target: TLSA RDATA (parse/dns/tlsa_record.h) as a DNS answer hands it over. Checks beyond "no
// crash": parsing keeps every octet (fields plus data rebuild the input), a usable record is DANE-TA/DANE-EE
// with a known selector and a digest of its length, and the description is bounded.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "parse/dns/tlsa_record.h"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark::parse::dns;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto record = parse_tlsa_rdata(input);
  check(record.has_value() == (size >= 4));
  if (!record) return 0;
  std::string rebuilt{static_cast<char>(record->usage), static_cast<char>(record->selector),
                      static_cast<char>(record->matching_type)};
  rebuilt += record->data;
  check(rebuilt == input);
  if (is_usable_for_smtp(*record)) {
    check(record->usage == kUsageDaneTa || record->usage == kUsageDaneEe);
    check(record->selector <= kSelectorSpki);
    check(record->matching_type != kMatchingSha256 || record->data.size() == 32);
    check(record->matching_type != kMatchingSha512 || record->data.size() == 64);
  }
  check(describe(*record).size() < 80);
  return 0;
}

// Fuzzes SequenceSet (RFC 9051 9 sequence-set): parse, print and re-parse must agree; normalization must be
// idempotent; contains(), count() and a bounded expand() must agree with each other.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parse/imap/sequence_set.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using bulwark::parse::imap::SequenceSet;
  if (size < 1) return 0;
  const std::uint32_t largest = data[0] % 2 == 0 ? data[0] : 0xFFFFFFF0u + (data[0] % 16);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto set = SequenceSet::parse(text);
  if (!set) return 0;
  auto again = SequenceSet::parse(set->to_string());
  check(again.has_value() && *again == *set);
  if (set->is_saved_result()) return 0;
  const SequenceSet normal = set->normalized(largest);
  check(normal.normalized(largest) == normal);
  const std::uint64_t count = set->count(largest);
  auto numbers = set->expand(largest, 4096);
  if (count <= 4096) {
    check(numbers.has_value() && numbers->size() == count);
    for (std::uint32_t n : *numbers) check(set->contains(n, largest));
  } else {
    check(!numbers.has_value());
  }
  for (const auto& range : normal.ranges()) {
    check(range.first <= range.last);
    check(set->contains(range.first, largest) && set->contains(range.last, largest));
  }
  return 0;
}

#include "base/ascii_search.h"

#include <cstring>

namespace bulwark {
namespace {

constexpr char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// The next position >= from of `c` in text, or text.size(); `cached` remembers the last answer so that each
// variant of the first letter is scanned once overall (linear time, however rare one of them is).
std::size_t next_of(std::string_view text, char c, std::size_t from, std::size_t& cached) noexcept {
  if (cached != std::string_view::npos && cached >= from) return cached;
  const void* hit = from < text.size() ? std::memchr(text.data() + from, c, text.size() - from) : nullptr;
  cached = hit == nullptr ? text.size() : static_cast<std::size_t>(static_cast<const char*>(hit) - text.data());
  return cached;
}

}  // namespace

bool contains_ascii_nocase(std::string_view haystack, std::string_view lower_needle) noexcept {
  if (lower_needle.empty()) return true;
  if (lower_needle.size() > haystack.size()) return false;
  const char first_lower = lower_needle.front();
  const char first_upper = upper(first_lower);
  const std::size_t last_start = haystack.size() - lower_needle.size();
  std::size_t cached_lower = std::string_view::npos;
  std::size_t cached_upper = first_upper == first_lower ? haystack.size() : std::string_view::npos;
  std::size_t from = 0;
  while (from <= last_start) {
    const std::size_t a = next_of(haystack, first_lower, from, cached_lower);
    const std::size_t b = first_upper == first_lower ? haystack.size() : next_of(haystack, first_upper, from, cached_upper);
    const std::size_t at = a < b ? a : b;
    if (at > last_start) return false;
    std::size_t k = 1;
    while (k < lower_needle.size() && lower(haystack[at + k]) == lower_needle[k]) ++k;
    if (k == lower_needle.size()) return true;
    from = at + 1;
  }
  return false;
}

}  // namespace bulwark

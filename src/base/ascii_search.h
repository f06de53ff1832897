// Case-insensitive (ASCII only) substring search over large buffers, such as a whole message body.
//
// Why not std::search with a tolower() predicate: that calls tolower() on every octet and was 13 % of the
// server's CPU for a 64 KiB SMTP delivery (perf, see docs/benchmarks.md). This jumps between occurrences of the
// needle's first letter with memchr and compares only there.
#pragma once

#include <cstddef>
#include <string_view>

namespace bulwark {

// Does `haystack` contain `lower_needle`, comparing ASCII letters without case? `lower_needle` must be in lower
// case already (it is a constant at every call site). An empty needle is contained in everything.
[[nodiscard]] bool contains_ascii_nocase(std::string_view haystack, std::string_view lower_needle) noexcept;

}  // namespace bulwark

#include "base/units.h"

#include <charconv>
#include <limits>

namespace bulwark {
namespace {

// Splits "25M" into 25 and "M"; the number must be a plain non-negative integer.
Result<std::pair<std::uint64_t, std::string_view>> split_number(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) return fail(Errc::invalid_argument, "number too large");
  if (ec != std::errc() || end == text.data()) return fail(Errc::invalid_argument, "expected a number");
  return std::pair{value, text.substr(static_cast<std::size_t>(end - text.data()))};
}

Result<std::uint64_t> multiply(std::uint64_t value, std::uint64_t factor) {
  if (factor != 0 && value > std::numeric_limits<std::uint64_t>::max() / factor) {
    return fail(Errc::invalid_argument, "number too large");
  }
  return value * factor;
}

}  // namespace

Result<std::uint64_t> parse_size(std::string_view text) {
  auto split = split_number(text);
  if (!split) return fail(split.error().code, split.error().detail + " in size '" + std::string(text) + "'");
  auto [value, suffix] = *split;
  std::uint64_t factor = 0;
  if (suffix.empty() || suffix == "B") factor = 1;
  else if (suffix == "K" || suffix == "k" || suffix == "KiB") factor = 1ULL << 10;
  else if (suffix == "M" || suffix == "MiB") factor = 1ULL << 20;
  else if (suffix == "G" || suffix == "GiB") factor = 1ULL << 30;
  else if (suffix == "T" || suffix == "TiB") factor = 1ULL << 40;
  else return fail(Errc::invalid_argument, "unknown size suffix in '" + std::string(text) + "' (use K, M, G or T)");
  return multiply(value, factor);
}

Result<std::chrono::seconds> parse_duration(std::string_view text) {
  auto split = split_number(text);
  if (!split) return fail(split.error().code, split.error().detail + " in duration '" + std::string(text) + "'");
  auto [value, suffix] = *split;
  std::uint64_t factor = 0;
  if (suffix.empty() || suffix == "s") factor = 1;
  else if (suffix == "m") factor = 60;
  else if (suffix == "h") factor = 3600;
  else if (suffix == "d") factor = 86400;
  else return fail(Errc::invalid_argument, "unknown duration suffix in '" + std::string(text) + "' (use s, m, h or d)");
  auto seconds = multiply(value, factor);
  if (!seconds || *seconds > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return fail(Errc::invalid_argument, "duration too large");
  }
  return std::chrono::seconds(static_cast<std::int64_t>(*seconds));
}

}  // namespace bulwark

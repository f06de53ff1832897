// Parsing of human-written sizes ("25M", "1G", "4096") and durations ("30s", "5m", "2h", "5d") used by the
// configuration file and the admin CLI. Binary multiples: K = 1024.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace bulwark {

[[nodiscard]] Result<std::uint64_t> parse_size(std::string_view text);
[[nodiscard]] Result<std::chrono::seconds> parse_duration(std::string_view text);

}  // namespace bulwark

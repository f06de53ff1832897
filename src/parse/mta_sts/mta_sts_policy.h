// MTA-STS (RFC 8461): the `_mta-sts` TXT record (3.1), the policy file served at
// https://mta-sts.<domain>/.well-known/mta-sts.txt (3.2), and the match of an MX host name against the
// policy's "mx" patterns (4.1). Pure, I/O-free and bounded; the fetch, cache and enforcement live in
// src/delivery/. Fuzzed in test/fuzz/mta_sts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bulwark::parse::mta_sts {

// RFC 8461 3.2: a policy file larger than this is refused (the RFC does not set a limit; 64 KiB is far above
// any real policy and bounds the parser's work). The fetcher applies its own configurable limit first.
inline constexpr std::size_t kMaxPolicyBytes = 64 * 1024;
inline constexpr std::size_t kMaxMxPatterns = 100;
// RFC 8461 3.2: max_age is at most 31557600 seconds (about a year).
inline constexpr std::uint32_t kMaxMaxAge = 31557600;

// The TXT record "v=STSv1; id=20160831085700Z;". `id` is 1-32 alphanumeric characters (3.1).
struct TxtRecord {
  std::string id;
};

// invalid_syntax when the record is not an STSv1 record (then the domain has no usable policy, 3.1: ignore it).
[[nodiscard]] Result<TxtRecord> parse_txt_record(std::string_view text);

enum class Mode { enforce, testing, none };
std::string_view mode_name(Mode mode);

struct Policy {
  Mode mode = Mode::none;
  std::vector<std::string> mx;  // lower case, as written: "mail.example.com" or "*.example.net"
  std::uint32_t max_age = 0;    // seconds
};

// The policy file (3.2): "key: value" lines separated by CRLF or LF; version STSv1, mode, max_age required,
// at least one mx unless mode is none. Unknown keys are ignored (3.2 extension); duplicate keys other than mx
// are refused.
[[nodiscard]] Result<Policy> parse_policy(std::string_view text);

// 4.1: an exact match, or "*.example.com" matching exactly one leftmost label ("mx1.example.com", not
// "a.b.example.com" nor "example.com"). Case-insensitive; a trailing dot on the host is ignored.
bool mx_matches(std::string_view pattern, std::string_view host);
bool policy_allows_mx(const Policy& policy, std::string_view host);

}  // namespace bulwark::parse::mta_sts

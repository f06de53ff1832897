#include "parse/mta_sts/mta_sts_policy.h"

#include <algorithm>
#include <cctype>

namespace bulwark::parse::mta_sts {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower(c);
  return out;
}

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_wsp(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_wsp(s.back())) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

// A host name pattern as 3.2 allows in "mx": labels of letters, digits and hyphens, optionally "*." first.
bool valid_mx_pattern(std::string_view p) {
  if (p.starts_with("*.")) p.remove_prefix(2);
  if (p.empty() || p.size() > 253) return false;
  std::size_t label = 0;
  for (char c : p) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    if (++label > 63) return false;
  }
  return label != 0;
}

}  // namespace

std::string_view mode_name(Mode mode) {
  switch (mode) {
    case Mode::enforce: return "enforce";
    case Mode::testing: return "testing";
    case Mode::none: return "none";
  }
  return "none";
}

Result<TxtRecord> parse_txt_record(std::string_view text) {
  if (text.size() > 1024) return fail(Errc::invalid_syntax, "MTA-STS TXT record too long");
  TxtRecord out;
  bool first = true;
  bool have_id = false;
  while (!text.empty()) {
    auto semi = text.find(';');
    std::string_view field = trim(text.substr(0, semi));
    text = semi == std::string_view::npos ? std::string_view() : text.substr(semi + 1);
    if (field.empty()) {
      if (first) return fail(Errc::invalid_syntax, "MTA-STS TXT record does not start with v=STSv1");
      continue;
    }
    auto eq = field.find('=');
    if (eq == std::string_view::npos) return fail(Errc::invalid_syntax, "MTA-STS TXT field without '='");
    std::string_view key = trim(field.substr(0, eq));
    std::string_view value = trim(field.substr(eq + 1));
    if (first) {
      // 3.1: the record starts with "v=STSv1" (case-sensitive value).
      if (key != "v" || value != "STSv1") return fail(Errc::invalid_syntax, "not an STSv1 record");
      first = false;
      continue;
    }
    if (key == "id") {
      if (have_id) return fail(Errc::invalid_syntax, "MTA-STS TXT record has two ids");
      if (value.empty() || value.size() > 32) return fail(Errc::invalid_syntax, "MTA-STS id must be 1-32 characters");
      for (char c : value) {
        if (!std::isalnum(static_cast<unsigned char>(c))) return fail(Errc::invalid_syntax, "MTA-STS id is not alphanumeric");
      }
      out.id = std::string(value);
      have_id = true;
    }
    // Other fields are extensions (3.1): ignored.
  }
  if (first) return fail(Errc::invalid_syntax, "empty MTA-STS TXT record");
  if (!have_id) return fail(Errc::invalid_syntax, "MTA-STS TXT record without id");
  return out;
}

Result<Policy> parse_policy(std::string_view text) {
  if (text.size() > kMaxPolicyBytes) return fail(Errc::too_big, "MTA-STS policy too large");
  Policy out;
  bool have_version = false, have_mode = false, have_max_age = false;
  while (!text.empty()) {
    auto lf = text.find('\n');
    std::string_view line = text.substr(0, lf);
    text = lf == std::string_view::npos ? std::string_view() : text.substr(lf + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    line = trim(line);
    if (line.empty()) continue;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return fail(Errc::invalid_syntax, "MTA-STS policy line without ':'");
    std::string_view key = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    if (key == "version") {
      if (have_version) return fail(Errc::invalid_syntax, "MTA-STS policy has two versions");
      if (value != "STSv1") return fail(Errc::invalid_syntax, "MTA-STS policy version is not STSv1");
      have_version = true;
    } else if (key == "mode") {
      if (have_mode) return fail(Errc::invalid_syntax, "MTA-STS policy has two modes");
      if (value == "enforce") out.mode = Mode::enforce;
      else if (value == "testing") out.mode = Mode::testing;
      else if (value == "none") out.mode = Mode::none;
      else return fail(Errc::invalid_syntax, "MTA-STS mode must be enforce, testing or none");
      have_mode = true;
    } else if (key == "max_age") {
      if (have_max_age) return fail(Errc::invalid_syntax, "MTA-STS policy has two max_age");
      // 1*10DIGIT, at most 31557600.
      if (value.empty() || value.size() > 10) return fail(Errc::invalid_syntax, "MTA-STS max_age is not a number");
      std::uint64_t age = 0;
      for (char c : value) {
        if (c < '0' || c > '9') return fail(Errc::invalid_syntax, "MTA-STS max_age is not a number");
        age = age * 10 + static_cast<std::uint64_t>(c - '0');
      }
      out.max_age = static_cast<std::uint32_t>(std::min<std::uint64_t>(age, kMaxMaxAge));
      have_max_age = true;
    } else if (key == "mx") {
      if (!valid_mx_pattern(value)) return fail(Errc::invalid_syntax, "malformed MTA-STS mx pattern");
      if (out.mx.size() >= kMaxMxPatterns) return fail(Errc::too_big, "too many MTA-STS mx patterns");
      std::string pattern = to_lower(value);
      if (!pattern.empty() && pattern.back() == '.') pattern.pop_back();
      out.mx.push_back(std::move(pattern));
    }
    // Unknown keys: extensions, ignored (3.2).
  }
  if (!have_version) return fail(Errc::invalid_syntax, "MTA-STS policy without version");
  if (!have_mode) return fail(Errc::invalid_syntax, "MTA-STS policy without mode");
  if (!have_max_age) return fail(Errc::invalid_syntax, "MTA-STS policy without max_age");
  if (out.mode != Mode::none && out.mx.empty()) return fail(Errc::invalid_syntax, "MTA-STS policy without mx");
  return out;
}

bool mx_matches(std::string_view pattern, std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (pattern.starts_with("*.")) {
    std::string_view suffix = pattern.substr(1);  // ".example.com"
    if (host.size() <= suffix.size()) return false;
    std::string_view head = host.substr(0, host.size() - suffix.size());
    if (head.find('.') != std::string_view::npos) return false;  // only the leftmost label is wild
    return iequals(host.substr(host.size() - suffix.size()), suffix);
  }
  return iequals(pattern, host);
}

bool policy_allows_mx(const Policy& policy, std::string_view host) {
  return std::any_of(policy.mx.begin(), policy.mx.end(), [&](const std::string& p) { return mx_matches(p, host); });
}

}  // namespace bulwark::parse::mta_sts

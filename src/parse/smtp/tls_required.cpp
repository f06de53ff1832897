#include "parse/smtp/tls_required.h"

#include <cctype>

namespace bulwark::parse::smtp {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

bool is_wsp(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view next_line(std::string_view& rest) noexcept {
  auto lf = rest.find('\n');
  std::string_view line = rest.substr(0, lf);
  rest = lf == std::string_view::npos ? std::string_view() : rest.substr(lf + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

bool has_tls_required_no(std::string_view message) noexcept {
  constexpr std::string_view kName = "TLS-Required:";
  std::string_view rest = message;
  bool found = false;
  while (!rest.empty()) {
    std::string_view line = next_line(rest);
    if (line.empty()) break;  // end of the header section
    if (line.size() < kName.size() || !iequals(line.substr(0, kName.size()), kName)) continue;
    // The value: this line's remainder plus continuation lines; only WSP may surround "No".
    std::string_view value = line.substr(kName.size());
    bool only_no = true;
    bool seen_no = false;
    auto scan = [&](std::string_view part) {
      while (!part.empty() && is_wsp(part.front())) part.remove_prefix(1);
      while (!part.empty() && is_wsp(part.back())) part.remove_suffix(1);
      if (part.empty()) return;
      if (!seen_no && iequals(part, "No")) seen_no = true;
      else only_no = false;
    };
    scan(value);
    while (!rest.empty() && is_wsp(rest.front())) scan(next_line(rest));
    // 4: the field occurs at most once; more than one, or another value, is not a request to waive TLS.
    if (found) return false;
    found = seen_no && only_no;
    if (!found) return false;
  }
  return found;
}

}  // namespace bulwark::parse::smtp

#include "protocol/smtp/sender_check.h"

#include <algorithm>

#include "domain/mail/address.h"

namespace bulwark::protocol::smtp {
namespace {

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && (is_wsp(text.front()) || text.front() == '\r' || text.front() == '\n')) text.remove_prefix(1);
  while (!text.empty() && (is_wsp(text.back()) || text.back() == '\r' || text.back() == '\n')) text.remove_suffix(1);
  return text;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

// The unfolded bodies of every field named `name` in the header section.
std::vector<std::string> field_bodies(std::string_view message, std::string_view name, std::size_t max_scan) {
  std::vector<std::string> out;
  std::string_view header = message.substr(0, std::min(message.size(), max_scan));
  bool in_field = false;
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t eol = header.find('\n', pos);
    std::size_t next = eol == std::string_view::npos ? header.size() : eol + 1;
    std::string_view line = header.substr(pos, next - pos);
    pos = next;
    std::string_view content = line;
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.remove_suffix(1);
    if (content.empty()) break;  // the end of the header section
    if (is_wsp(content.front())) {
      if (in_field) out.back() += std::string(content);
      continue;
    }
    in_field = false;
    auto colon = content.find(':');
    if (colon == std::string_view::npos) continue;
    if (iequals_ascii(trim(content.substr(0, colon)), name)) {
      out.emplace_back(content.substr(colon + 1));
      in_field = true;
    }
  }
  return out;
}

// Removes RFC 5322 3.2.2 comments outside quoted strings.
std::string strip_comments(std::string_view text) {
  std::string out;
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size() && (quoted || depth > 0)) {
      if (depth == 0) {
        out += c;
        out += text[i + 1];
      }
      ++i;
      continue;
    }
    if (depth > 0) {
      if (c == '(') ++depth;
      else if (c == ')') --depth;
      continue;
    }
    if (c == '"') quoted = !quoted;
    if (!quoted && c == '(') {
      depth = 1;
      out += ' ';
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string comparable_address(std::string_view address) {
  auto at = address.rfind('@');
  if (at == std::string_view::npos) return domain::mail::ascii_lower(address);
  std::string local = domain::mail::ascii_lower(address.substr(0, at));
  auto domain = domain::mail::normalize_domain(address.substr(at + 1));
  return local + "@" + (domain ? *domain : domain::mail::ascii_lower(address.substr(at + 1)));
}

bool is_allowed_sender(std::string_view address, const std::vector<std::string>& allowed) {
  const std::string wanted = comparable_address(address);
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](const std::string& a) { return comparable_address(a) == wanted; });
}

Result<std::vector<std::string>> header_from_addresses(std::string_view message, std::size_t max_scan) {
  auto bodies = field_bodies(message, "From", max_scan);
  if (bodies.empty()) return fail(Errc::not_found, "the message has no From: header");
  if (bodies.size() > 1) return fail(Errc::invalid_syntax, "the message has more than one From: header");
  std::string value = strip_comments(bodies.front());
  // Split on commas outside quoted strings and angle brackets.
  std::vector<std::string> parts(1);
  bool quoted = false;
  bool angle = false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '\\' && quoted && i + 1 < value.size()) {
      parts.back() += c;
      parts.back() += value[++i];
      continue;
    }
    if (c == '"') quoted = !quoted;
    else if (!quoted && c == '<') angle = true;
    else if (!quoted && c == '>') angle = false;
    else if (!quoted && !angle && c == ':') return fail(Errc::invalid_syntax, "group syntax in From: is not accepted");
    if (!quoted && !angle && c == ',') {
      parts.emplace_back();
      continue;
    }
    parts.back() += c;
  }
  std::vector<std::string> out;
  for (const auto& part : parts) {
    std::string_view p = trim(part);
    if (p.empty()) continue;
    // name-addr: the angle-addr (outside quotes) wins; otherwise the whole part is the addr-spec.
    std::size_t open = std::string_view::npos;
    bool q = false;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (p[i] == '\\' && q) { ++i; continue; }
      if (p[i] == '"') q = !q;
      if (!q && p[i] == '<') { open = i; break; }
    }
    std::string_view spec = p;
    if (open != std::string_view::npos) {
      auto close = p.find('>', open);
      if (close == std::string_view::npos) return fail(Errc::invalid_syntax, "unterminated <address> in From:");
      spec = trim(p.substr(open + 1, close - open - 1));
    }
    if (spec.find('@') == std::string_view::npos || spec.find_first_of(" \t") != std::string_view::npos) {
      return fail(Errc::invalid_syntax, "unreadable address in From:");
    }
    out.emplace_back(spec);
  }
  if (out.empty()) return fail(Errc::invalid_syntax, "empty From: header");
  return out;
}

}  // namespace bulwark::protocol::smtp

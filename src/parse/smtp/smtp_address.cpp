#include "parse/smtp/smtp_address.h"

#include <algorithm>

#include "parse/smtp/smtp_grammar.h"

namespace bulwark::parse::smtp {
namespace {

using detail::is_8bit;
using detail::is_alnum;
using detail::is_digit;
using detail::is_hex;

// RFC 5321 4.1.3 Snum 3("." Snum), Snum = 1*3DIGIT with a value of 0-255.
bool is_ipv4(std::string_view text) noexcept {
  std::size_t pos = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (pos >= text.size() || text[pos] != '.') return false;
      ++pos;
    }
    std::size_t digits = 0;
    unsigned value = 0;
    while (pos < text.size() && is_digit(text[pos]) && digits < 4) {
      value = value * 10 + static_cast<unsigned>(text[pos] - '0');
      ++pos;
      ++digits;
    }
    if (digits == 0 || digits > 3 || value > 255) return false;
  }
  return pos == text.size();
}

// RFC 5321 4.1.3 IPv6-addr: full, compressed ("::" once), and either with a trailing IPv4 address.
bool is_ipv6(std::string_view text) noexcept {
  std::size_t groups = 0;
  bool compressed = false;
  std::size_t pos = 0;
  if (text.substr(0, 2) == "::") {
    compressed = true;
    pos = 2;
  } else if (!text.empty() && text[0] == ':') {
    return false;
  }
  while (pos < text.size()) {
    const std::string_view rest = text.substr(pos);
    if (rest.find(':') == std::string_view::npos && rest.find('.') != std::string_view::npos) {
      if (!is_ipv4(rest)) return false;
      groups += 2;
      pos = text.size();
      break;
    }
    std::size_t digits = 0;
    while (pos < text.size() && is_hex(text[pos]) && digits < 5) {
      ++pos;
      ++digits;
    }
    if (digits == 0 || digits > 4) return false;
    ++groups;
    if (pos == text.size()) break;
    if (text[pos] != ':') return false;
    ++pos;
    if (pos == text.size()) return false;  // a single trailing colon
    if (text[pos] == ':') {
      if (compressed) return false;
      compressed = true;
      ++pos;
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

Status check_address_literal(std::string_view text) {
  if (text.size() < 3 || text.front() != '[' || text.back() != ']') {
    return fail(Errc::invalid_syntax, "malformed address literal");
  }
  const std::string_view inner = text.substr(1, text.size() - 2);
  if (is_ipv4(inner)) return ok();
  if (detail::istarts_with(inner, "IPv6:") && is_ipv6(inner.substr(5))) return ok();
  return fail(Errc::invalid_syntax, "unsupported or malformed address literal");
}

// One sub-domain: Let-dig [Ldh-str]; with UTF-8 a U-label may also carry UTF8-non-ascii (RFC 6531 3.3).
bool is_label(std::string_view label, bool allow_utf8) noexcept {
  if (label.empty() || label.size() > kMaxLabelOctets) return false;
  const auto let_dig = [&](char c) { return is_alnum(c) || (allow_utf8 && is_8bit(c)); };
  if (!let_dig(label.front()) || !let_dig(label.back())) return false;
  for (char c : label) {
    if (!let_dig(c) && c != '-') return false;
  }
  return true;
}

Status check_utf8(std::string_view text, bool allow_utf8) {
  bool has_8bit = false;
  for (char c : text) has_8bit = has_8bit || is_8bit(c);
  if (!has_8bit) return ok();
  if (!allow_utf8) return fail(Errc::invalid_syntax, "8-bit characters in address without SMTPUTF8");
  if (!detail::is_valid_utf8(text)) return fail(Errc::invalid_syntax, "invalid UTF-8 in address");
  return ok();
}

Status check_dot_domain(std::string_view text, bool allow_utf8) {
  if (text.empty()) return fail(Errc::invalid_syntax, "empty domain");
  if (text.size() > kMaxDomainOctets) return fail(Errc::too_big, "domain too long");
  if (auto utf8 = check_utf8(text, allow_utf8); !utf8) return utf8;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = text.find('.', start);
    const std::string_view label = text.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (!is_label(label, allow_utf8)) return fail(Errc::invalid_syntax, "malformed domain");
    if (dot == std::string_view::npos) return ok();
    start = dot + 1;
  }
}

Status check_domain_or_literal(std::string_view text, bool allow_utf8) {
  if (!text.empty() && text.front() == '[') return check_address_literal(text);
  return check_dot_domain(text, allow_utf8);
}

// Length of the Quoted-string at the front of `text` (including both quotes), or 0 if malformed.
// qtextSMTP = %d32-33 / %d35-91 / %d93-126 (+ UTF8-non-ascii), quoted-pairSMTP = "\" %d32-126.
std::size_t quoted_string_length(std::string_view text, bool allow_utf8) noexcept {
  if (text.empty() || text[0] != '"') return 0;
  for (std::size_t pos = 1; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '"') return pos + 1;
    if (c == '\\') {
      if (pos + 1 >= text.size() || text[pos + 1] < ' ' || text[pos + 1] > '~') return 0;
      ++pos;
    } else if (!((c >= ' ' && c <= '~') || (allow_utf8 && is_8bit(c)))) {
      return 0;
    }
  }
  return 0;
}

// Dot-string = Atom *("." Atom).
bool is_dot_string(std::string_view text, bool allow_utf8) noexcept {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  char previous = '\0';
  for (char c : text) {
    if (c == '.') {
      if (previous == '.') return false;
    } else if (!detail::is_atext(c) && !(allow_utf8 && is_8bit(c))) {
      return false;
    }
    previous = c;
  }
  return true;
}

// A-d-l = At-domain *( "," At-domain ), At-domain = "@" Domain. Only checked, then ignored.
Status check_source_route(std::string_view text) {
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string_view at_domain = text.substr(start, comma == std::string_view::npos ? comma : comma - start);
    if (at_domain.size() < 2 || at_domain[0] != '@') return fail(Errc::invalid_syntax, "malformed source route");
    if (auto domain = check_dot_domain(at_domain.substr(1), false); !domain) {
      return fail(Errc::invalid_syntax, "malformed source route");
    }
    if (comma == std::string_view::npos) return ok();
    start = comma + 1;
  }
}

// The inside of "<...>": [A-d-l ":"] Mailbox.
Result<Mailbox> parse_path_inner(std::string_view inner, AddressOptions options) {
  if (!inner.empty() && inner.front() == '@') {
    const std::size_t colon = inner.find(':');
    if (colon == std::string_view::npos) return fail(Errc::invalid_syntax, "malformed source route");
    if (auto route = check_source_route(inner.substr(0, colon)); !route) return tl::unexpected(route.error());
    inner.remove_prefix(colon + 1);
  }
  return parse_mailbox(inner, options);
}

Result<std::string_view> strip_angle_brackets(std::string_view text) {
  if (text.size() > kMaxPathOctets) return fail(Errc::too_big, "path too long");
  if (text.size() < 2 || text.front() != '<' || text.back() != '>') {
    return fail(Errc::invalid_syntax, "address must be enclosed in <>");
  }
  return text.substr(1, text.size() - 2);
}

}  // namespace

bool Mailbox::is_bare_postmaster() const noexcept {
  return domain.empty() && detail::iequals(local_part, "Postmaster");
}

std::string Mailbox::unquoted_local_part() const {
  if (!is_quoted() || local_part.size() < 2) return local_part;
  std::string out;
  out.reserve(local_part.size());
  for (std::size_t pos = 1; pos + 1 < local_part.size(); ++pos) {
    if (local_part[pos] == '\\' && pos + 2 < local_part.size()) ++pos;
    out.push_back(local_part[pos]);
  }
  return out;
}

std::string Mailbox::to_string() const {
  if (domain.empty()) return local_part;
  return local_part + "@" + domain;
}

Result<Mailbox> parse_mailbox(std::string_view text, AddressOptions options) {
  if (text.empty()) return fail(Errc::invalid_syntax, "empty mailbox");
  std::size_t local_length = 0;
  if (text.front() == '"') {
    local_length = quoted_string_length(text, options.allow_utf8);
    if (local_length == 0) return fail(Errc::invalid_syntax, "malformed quoted local part");
  } else {
    local_length = text.find('@');
    if (local_length == std::string_view::npos) local_length = text.size();
  }
  const std::string_view local_part = text.substr(0, local_length);
  if (local_length >= text.size() || text[local_length] != '@') {
    return fail(Errc::invalid_syntax, "mailbox needs local-part@domain");
  }
  const std::string_view domain = text.substr(local_length + 1);
  if (local_part.empty()) return fail(Errc::invalid_syntax, "empty local part");
  if (local_part.size() > kMaxLocalPartOctets) return fail(Errc::too_big, "local part too long");
  if (auto utf8 = check_utf8(local_part, options.allow_utf8); !utf8) return tl::unexpected(utf8.error());
  if (local_part.front() != '"' && !is_dot_string(local_part, options.allow_utf8)) {
    return fail(Errc::invalid_syntax, "malformed local part");
  }
  if (auto checked = check_domain_or_literal(domain, options.allow_utf8); !checked) {
    return tl::unexpected(checked.error());
  }
  return Mailbox{std::string(local_part), std::string(domain)};
}

Result<ReversePath> parse_reverse_path(std::string_view text, AddressOptions options) {
  auto inner = strip_angle_brackets(text);
  if (!inner) return tl::unexpected(inner.error());
  if (inner->empty()) return ReversePath{};
  auto mailbox = parse_path_inner(*inner, options);
  if (!mailbox) return tl::unexpected(mailbox.error());
  return ReversePath{std::move(*mailbox)};
}

Result<Mailbox> parse_forward_path(std::string_view text, AddressOptions options) {
  auto inner = strip_angle_brackets(text);
  if (!inner) return tl::unexpected(inner.error());
  if (detail::iequals(*inner, "Postmaster")) return Mailbox{std::string(*inner), {}};
  if (inner->empty()) return fail(Errc::invalid_syntax, "empty forward path");
  return parse_path_inner(*inner, options);
}

Result<std::size_t> path_extent(std::string_view text) {
  if (text.empty() || text.front() != '<') return fail(Errc::invalid_syntax, "address must be enclosed in <>");
  bool quoted = false;
  const std::size_t end = std::min(text.size(), kMaxPathOctets);
  for (std::size_t pos = 1; pos < end; ++pos) {
    const char c = text[pos];
    if (quoted) {
      if (c == '\\') {
        ++pos;
      } else if (c == '"') {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '>') {
      return pos + 1;
    }
  }
  if (text.size() <= kMaxPathOctets) return fail(Errc::invalid_syntax, "missing > after address");
  return fail(Errc::too_big, "path too long");
}

Status validate_domain(std::string_view text, AddressOptions options) {
  return check_domain_or_literal(text, options.allow_utf8);
}

}  // namespace bulwark::parse::smtp

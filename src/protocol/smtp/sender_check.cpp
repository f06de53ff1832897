#include "protocol/smtp/sender_check.h"

#include <algorithm>

#include "domain/mail/address.h"
#include "parse/mime/address_list.h"
#include "parse/mime/header.h"

namespace bulwark::protocol::smtp {

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
  const auto header = parse::mime::parse_header(message.substr(0, std::min(message.size(), max_scan)));
  const auto fields = header.find_all("From");
  if (fields.empty()) return fail(Errc::not_found, "the message has no From: header");
  if (fields.size() > 1) return fail(Errc::invalid_syntax, "the message has more than one From: header");
  const auto list = parse::mime::parse_address_list(parse::mime::unfold(fields.front()->raw_value));
  if (list.has_errors || list.is_truncated) return fail(Errc::invalid_syntax, "unreadable address in From:");
  std::vector<std::string> out;
  for (const auto& entry : list.entries) {
    if (entry.kind != parse::mime::AddressKind::mailbox) {
      return fail(Errc::invalid_syntax, "group syntax in From: is not accepted");
    }
    if (entry.domain.empty()) return fail(Errc::invalid_syntax, "unreadable address in From:");
    out.push_back(parse::mime::addr_spec(entry));
  }
  if (out.empty()) return fail(Errc::invalid_syntax, "empty From: header");
  return out;
}

}  // namespace bulwark::protocol::smtp

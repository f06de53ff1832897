#include "domain/mail/mailbox_name.h"

#include "base/utf8.h"

namespace bulwark::domain::mail {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 32);
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 32);
    if (x != y) return false;
  }
  return true;
}



}  // namespace

bool is_inbox(std::string_view name) { return iequals(name, "INBOX"); }

Result<std::string> canonical_mailbox_name(std::string_view name) {
  if (name.empty()) return fail(Errc::invalid_argument, "empty mailbox name");
  if (name.size() > kMaxMailboxNameBytes) return fail(Errc::invalid_argument, "mailbox name too long");
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return fail(Errc::invalid_argument, "mailbox name contains a control character");
    if (c == '*' || c == '%') return fail(Errc::invalid_argument, "mailbox name contains a wildcard");
  }
  if (!bulwark::is_valid_utf8(name)) return fail(Errc::invalid_argument, "mailbox name is not valid UTF-8");
  std::string out;
  std::size_t depth = 0;
  std::size_t start = 0;
  for (;;) {
    auto slash = name.find(kHierarchyDelimiter, start);
    auto part = name.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part.empty()) return fail(Errc::invalid_argument, "mailbox name has an empty level");
    if (++depth > kMaxMailboxDepth) return fail(Errc::invalid_argument, "mailbox hierarchy too deep");
    if (depth == 1 && is_inbox(part)) out += "INBOX";
    else out += part;
    if (slash == std::string_view::npos) break;
    out += kHierarchyDelimiter;
    start = slash + 1;
  }
  return out;
}

}  // namespace bulwark::domain::mail

#include "protocol/imap/list_pattern.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace bulwark::protocol::imap {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// Wildcard match by dynamic programming over positions: O(|p| * |n|) for any mix of "*" and "%".
bool match(std::string_view p, std::string_view n, char delimiter) {
  std::vector<char> row(n.size() + 1, 0), next(n.size() + 1, 0);
  row[0] = 1;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    std::fill(next.begin(), next.end(), 0);
    if (c == '*' || c == '%') {
      bool reach = false;
      for (std::size_t j = 0; j <= n.size(); ++j) {
        if (row[j]) reach = true;
        next[j] = reach;
        if (c == '%' && j < n.size() && n[j] == delimiter) reach = false;
      }
    } else {
      for (std::size_t j = 0; j < n.size(); ++j) {
        if (row[j] && n[j] == c) next[j + 1] = 1;
      }
    }
    row.swap(next);
  }
  return row[n.size()] != 0;
}

// "inbox/x" -> "INBOX/x" for the first hierarchy level of a pattern or a name.
std::string normalize_inbox(std::string_view s, char delimiter) {
  std::string out(s);
  if (s.size() >= 5 && iequals(s.substr(0, 5), "INBOX") && (s.size() == 5 || s[5] == delimiter)) {
    out.replace(0, 5, "INBOX");
  }
  return out;
}

}  // namespace

std::string join_reference(std::string_view reference, std::string_view pattern, char delimiter) {
  if (!pattern.empty() && pattern.front() == delimiter) return std::string(pattern);
  std::string out(reference);
  out.append(pattern);
  return out;
}

bool matches_pattern(std::string_view pattern, std::string_view name, char delimiter) {
  return match(normalize_inbox(pattern, delimiter), normalize_inbox(name, delimiter), delimiter);
}

bool is_ancestor(std::string_view name, std::string_view descendant, char delimiter) {
  return descendant.size() > name.size() + 1 && descendant.substr(0, name.size()) == name &&
         descendant[name.size()] == delimiter;
}

}  // namespace bulwark::protocol::imap

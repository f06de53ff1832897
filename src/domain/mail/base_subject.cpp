#include "domain/mail/base_subject.h"

#include <algorithm>

namespace bulwark::domain::mail {
namespace {

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }
bool is_wsp(char c) { return c == ' ' || c == '\t'; }

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (upper(text[i]) != upper(prefix[i])) return false;
  }
  return true;
}

bool ends_with_nocase(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && starts_with_nocase(text.substr(text.size() - suffix.size()), suffix);
}

std::size_t skip_wsp(std::string_view text, std::size_t i) {
  while (i < text.size() && is_wsp(text[i])) ++i;
  return i;
}

// subj-blob = "[" *BLOBCHAR "]" *WSP, BLOBCHAR being anything but "[" and "]". Returns the length or 0.
std::size_t blob_length(std::string_view text, std::size_t at) {
  if (at >= text.size() || text[at] != '[') return 0;
  std::size_t i = at + 1;
  while (i < text.size() && text[i] != '[' && text[i] != ']') ++i;
  if (i >= text.size() || text[i] != ']') return 0;
  return skip_wsp(text, i + 1) - at;
}

// subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":". Returns the length or 0.
std::size_t refwd_length(std::string_view text, std::size_t at) {
  std::string_view rest = text.substr(at);
  std::size_t i = 0;
  if (starts_with_nocase(rest, "re")) i = 2;
  else if (starts_with_nocase(rest, "fwd")) i = 3;
  else if (starts_with_nocase(rest, "fw")) i = 2;
  else return 0;
  i = skip_wsp(rest, i);
  i += blob_length(rest, i);
  if (i < rest.size() && rest[i] == ':') return i + 1;
  return 0;
}

// subj-leader = (*subj-blob subj-refwd) / WSP. Returns the length or 0.
std::size_t leader_length(std::string_view text) {
  if (!text.empty() && is_wsp(text[0])) return 1;
  std::size_t i = 0;
  while (std::size_t blob = blob_length(text, i)) i += blob;
  if (std::size_t refwd = refwd_length(text, i)) return i + refwd;
  return 0;
}

// Step 1 (the part after RFC 2047 decoding): tabs and line breaks become SP, runs of SP one SP.
std::string normalize_spaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\t' || c == '\r' || c == '\n') c = ' ';
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out.push_back(c);
  }
  return out;
}

}  // namespace

BaseSubject extract_base_subject(std::string_view decoded_subject) {
  BaseSubject result;
  std::string subject = normalize_spaces(decoded_subject);
  std::string_view s = subject;
  for (;;) {
    // Step 2: trailing subj-trailer = "(fwd)" / WSP, repeatedly.
    for (;;) {
      if (!s.empty() && is_wsp(s.back())) {
        s.remove_suffix(1);
      } else if (ends_with_nocase(s, "(fwd)")) {
        s.remove_suffix(5);
        result.is_reply_or_forward = true;
      } else {
        break;
      }
    }
    // Steps 3-5: leading subj-leader, and a leading subj-blob that leaves a non-empty base, until neither.
    for (bool changed = true; changed;) {
      changed = false;
      while (std::size_t leader = leader_length(s)) {
        if (!is_wsp(s[0])) result.is_reply_or_forward = true;
        s.remove_prefix(leader);
        changed = true;
      }
      if (std::size_t blob = blob_length(s, 0)) {
        std::string_view rest = s.substr(blob);
        // subj-base must be non-empty: something other than WSP (and the trailer, already gone) remains.
        if (std::any_of(rest.begin(), rest.end(), [](char c) { return !is_wsp(c); })) {
          s = rest;
          changed = true;
        }
      }
    }
    // Step 6: "[fwd:" ... "]" wrapper, then again from step 2.
    if (starts_with_nocase(s, "[fwd:") && !s.empty() && s.back() == ']') {
      s.remove_prefix(5);
      s.remove_suffix(1);
      result.is_reply_or_forward = true;
      continue;
    }
    break;
  }
  result.text.assign(s);
  return result;
}

int compare_ascii_casemap(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(upper(a[i]));
    const auto y = static_cast<unsigned char>(upper(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

std::string ascii_casemap_key(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = upper(c);
  return out;
}

}  // namespace bulwark::domain::mail

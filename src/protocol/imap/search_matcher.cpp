#include "protocol/imap/search_matcher.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>

#include "parse/mime/encoded_word.h"
#include "parse/mime/header.h"
#include "protocol/imap/response_format.h"

namespace bulwark::protocol::imap {
namespace {

using parse::imap::SearchKey;
using parse::imap::SearchKeyKind;

char fold(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// ASCII case-insensitive substring test (what fold() does in the C locale the server runs in). BODY and TEXT
// run it over whole messages, so the candidates for the first character are found with memchr (in both cases)
// instead of calling tolower() for every byte.
bool contains_folded(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > haystack.size()) return false;
  const char lower = ascii_lower(needle[0]);
  const char upper = ascii_upper(needle[0]);
  const char* const last = haystack.data() + (haystack.size() - needle.size());  // the last possible start
  auto find = [last](const char* from, char c) -> const char* {
    if (from > last) return nullptr;
    return static_cast<const char*>(std::memchr(from, c, static_cast<std::size_t>(last - from) + 1));
  };
  auto rest_matches = [&](const char* at) {
    for (std::size_t i = 1; i < needle.size(); ++i) {
      if (ascii_lower(at[i]) != ascii_lower(needle[i])) return false;
    }
    return true;
  };
  const char* next_lower = find(haystack.data(), lower);
  const char* next_upper = upper == lower ? nullptr : find(haystack.data(), upper);
  while (next_lower != nullptr || next_upper != nullptr) {
    const char* at = next_upper == nullptr || (next_lower != nullptr && next_lower < next_upper) ? next_lower : next_upper;
    if (rest_matches(at)) return true;
    if (at == next_lower) next_lower = find(at + 1, lower);
    if (at == next_upper) next_upper = find(at + 1, upper);
  }
  return false;
}

bool has_flag(const std::vector<std::string>* flags, std::string_view flag) {
  if (flags == nullptr) return false;
  return std::any_of(flags->begin(), flags->end(), [&](const std::string& f) {
    return f.size() == flag.size() && std::equal(f.begin(), f.end(), flag.begin(), [](char a, char b) {
             return fold(a) == fold(b);
           });
  });
}

class Evaluator {
 public:
  Evaluator(const SearchMessage& message, const SearchScope& scope) : message_(message), scope_(scope) {}

  bool eval(const SearchKey& key) {
    switch (key.kind) {
      case SearchKeyKind::and_all:
        return std::all_of(key.children.begin(), key.children.end(), [&](const SearchKey& k) { return eval(k); });
      case SearchKeyKind::or_either:
        return key.children.size() == 2 && (eval(key.children[0]) || eval(key.children[1]));
      case SearchKeyKind::not_one: return key.children.size() == 1 && !eval(key.children[0]);
      case SearchKeyKind::all: return true;
      case SearchKeyKind::answered: return has_flag(message_.flags, "\\Answered");
      case SearchKeyKind::deleted: return has_flag(message_.flags, "\\Deleted");
      case SearchKeyKind::draft: return has_flag(message_.flags, "\\Draft");
      case SearchKeyKind::flagged: return has_flag(message_.flags, "\\Flagged");
      case SearchKeyKind::seen: return has_flag(message_.flags, "\\Seen");
      case SearchKeyKind::recent:
      case SearchKeyKind::new_: return false;
      case SearchKeyKind::old: return true;
      case SearchKeyKind::unanswered: return !has_flag(message_.flags, "\\Answered");
      case SearchKeyKind::undeleted: return !has_flag(message_.flags, "\\Deleted");
      case SearchKeyKind::undraft: return !has_flag(message_.flags, "\\Draft");
      case SearchKeyKind::unflagged: return !has_flag(message_.flags, "\\Flagged");
      case SearchKeyKind::unseen: return !has_flag(message_.flags, "\\Seen");
      case SearchKeyKind::keyword: return has_flag(message_.flags, key.text);
      case SearchKeyKind::unkeyword: return !has_flag(message_.flags, key.text);
      case SearchKeyKind::bcc: return header_contains("Bcc", key.text);
      case SearchKeyKind::cc: return header_contains("Cc", key.text);
      case SearchKeyKind::from: return header_contains("From", key.text);
      case SearchKeyKind::subject: return header_contains("Subject", key.text);
      case SearchKeyKind::to: return header_contains("To", key.text);
      case SearchKeyKind::header:
        if (key.text.empty()) return header().find(key.header_field) != nullptr;
        return header_contains(key.header_field, key.text);
      case SearchKeyKind::body: return contains_folded(message_.raw.substr(std::min(header().size(), message_.raw.size())), key.text);
      case SearchKeyKind::text: return contains_folded(message_.raw, key.text);
      case SearchKeyKind::before: return internal_day() < key_day(key);
      case SearchKeyKind::on: return internal_day() == key_day(key);
      case SearchKeyKind::since: return internal_day() >= key_day(key);
      case SearchKeyKind::sent_before: return sent_day() && *sent_day() < key_day(key);
      case SearchKeyKind::sent_on: return sent_day() && *sent_day() == key_day(key);
      case SearchKeyKind::sent_since: return sent_day() && *sent_day() >= key_day(key);
      case SearchKeyKind::larger: return message_.size > key.number;
      case SearchKeyKind::smaller: return message_.size < key.number;
      case SearchKeyKind::uid: return key.sequence_set.contains(message_.uid, scope_.largest_uid);
      case SearchKeyKind::sequence_set: return key.sequence_set.contains(message_.seq, scope_.largest_seq);
      case SearchKeyKind::modseq: return message_.modseq >= key.number;
    }
    return false;
  }

 private:
  const parse::mime::Header& header() {
    if (!header_) header_ = parse::mime::parse_header(message_.raw);
    return *header_;
  }

  bool header_contains(std::string_view name, std::string_view text) {
    for (const auto* field : header().find_all(name)) {
      auto value = parse::mime::unfold(field->raw_value);
      if (contains_folded(value, text)) return true;
      if (value.find("=?") != std::string::npos && contains_folded(parse::mime::decode_encoded_words(value), text)) {
        return true;
      }
    }
    return false;
  }

  std::int64_t internal_day() const { return unix_day(message_.internal_date); }
  static std::int64_t key_day(const SearchKey& key) {
    return days_from_civil(key.date.year, key.date.month, key.date.day);
  }
  const std::optional<std::int64_t>& sent_day() {
    if (!sent_day_loaded_) {
      sent_day_loaded_ = true;
      if (auto date = header().unfolded("Date")) sent_day_ = rfc5322_day(*date);
    }
    return sent_day_;
  }

  const SearchMessage& message_;
  const SearchScope& scope_;
  std::optional<parse::mime::Header> header_;
  bool sent_day_loaded_ = false;
  std::optional<std::int64_t> sent_day_;
};

template <class Pred>
bool any_key(const SearchKey& key, Pred pred) {
  if (pred(key)) return true;
  return std::any_of(key.children.begin(), key.children.end(), [&](const SearchKey& k) { return any_key(k, pred); });
}

}  // namespace

bool needs_content(const SearchKey& key) {
  return any_key(key, [](const SearchKey& k) {
    switch (k.kind) {
      case SearchKeyKind::bcc: case SearchKeyKind::cc: case SearchKeyKind::from: case SearchKeyKind::subject:
      case SearchKeyKind::to: case SearchKeyKind::header: case SearchKeyKind::body: case SearchKeyKind::text:
      case SearchKeyKind::sent_before: case SearchKeyKind::sent_on: case SearchKeyKind::sent_since:
        return true;
      default:
        return false;
    }
  });
}

bool uses_modseq(const SearchKey& key) {
  return any_key(key, [](const SearchKey& k) { return k.kind == SearchKeyKind::modseq; });
}

bool matches(const SearchKey& key, const SearchMessage& message, const SearchScope& scope) {
  Evaluator evaluator(message, scope);
  return evaluator.eval(key);
}

}  // namespace bulwark::protocol::imap

#include "protocol/imap/search_matcher.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "parse/mime/encoded_word.h"
#include "parse/mime/header.h"
#include "protocol/imap/response_format.h"
#include "protocol/imap/search_text.h"

namespace bulwark::protocol::imap {
namespace {

using parse::imap::SearchKey;
using parse::imap::SearchKeyKind;

char fold(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

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
      case SearchKeyKind::body: return contains_text(body_text(), key.text);
      case SearchKeyKind::text:
        return contains_text(header_text(), key.text) || contains_text(body_text(), key.text);
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

  // Case-folded substring (search_text.h); the needle is UTF-8 (CHARSET UTF-8 or US-ASCII).
  static bool contains_text(const std::string& folded_haystack, std::string_view needle) {
    if (needle.empty()) return true;
    return folded_haystack.find(fold_for_search(needle)) != std::string::npos;
  }

  bool header_contains(std::string_view name, std::string_view text) {
    for (const auto* field : header().find_all(name)) {
      auto value = parse::mime::unfold(field->raw_value);
      if (value.find("=?") != std::string::npos) value = parse::mime::decode_encoded_words(value);
      if (contains_text(fold_for_search(value), text)) return true;
    }
    return false;
  }

  const std::string& body_text() {
    if (!body_text_) body_text_ = fold_for_search(searchable_body(message_.raw, scope_.max_text_bytes));
    return *body_text_;
  }
  const std::string& header_text() {
    if (!header_text_) {
      header_text_ = fold_for_search(searchable_header(
          message_.raw.substr(0, std::min(header().size(), message_.raw.size())), scope_.max_text_bytes));
    }
    return *header_text_;
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
  std::optional<std::string> body_text_;
  std::optional<std::string> header_text_;
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

#include "parse/mime/address_list.h"

#include <algorithm>
#include <cstring>

#include "parse/mime/ascii.h"

namespace bulwark::parse::mime {
namespace {

enum class TokenKind { atom, quoted, domain_literal, comment, special };

struct Token {
  TokenKind kind = TokenKind::atom;
  std::string text;  // unescaped content; for special the character
  bool has_space_before = false;
};

constexpr const char* kSpecials = "()<>[]:;@\\,.\"";

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> tokens;
  std::size_t pos = 0;
  bool space = false;
  while (pos < s.size()) {
    const char c = s[pos];
    Token token;
    token.has_space_before = space;
    if (is_space(c)) {
      space = true;
      ++pos;
      continue;
    }
    if (c == '(') {
      token.kind = TokenKind::comment;
      int depth = 0;
      for (; pos < s.size(); ++pos) {
        if (s[pos] == '\\' && pos + 1 < s.size()) {
          token.text.push_back(s[++pos]);
          continue;
        }
        if (s[pos] == '(' && depth++ == 0) continue;
        if (s[pos] == ')' && --depth == 0) {
          ++pos;
          break;
        }
        token.text.push_back(s[pos]);
      }
      token.text = std::string(trim(token.text));
      tokens.push_back(std::move(token));
      space = true;
      continue;
    }
    if (c == '"') {
      token.kind = TokenKind::quoted;
      for (++pos; pos < s.size() && s[pos] != '"'; ++pos) {
        if (s[pos] == '\\' && pos + 1 < s.size()) ++pos;
        token.text.push_back(s[pos]);
      }
      if (pos < s.size()) ++pos;
    } else if (c == '[') {
      token.kind = TokenKind::domain_literal;
      const std::size_t end = s.find(']', pos);
      const std::size_t stop = end == std::string_view::npos ? s.size() : end + 1;
      token.text = std::string(s.substr(pos, stop - pos));
      pos = stop;
    } else if (std::strchr(kSpecials, c) != nullptr) {
      token.kind = TokenKind::special;
      token.text = std::string(1, c);
      ++pos;
    } else {
      const std::size_t start = pos;
      while (pos < s.size() && !is_space(s[pos]) && std::strchr(kSpecials, s[pos]) == nullptr) ++pos;
      token.text = std::string(s.substr(start, pos - start));
    }
    tokens.push_back(std::move(token));
    space = false;
  }
  return tokens;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::size_t max_addresses) : t_(std::move(tokens)), max_(max_addresses) {}

  AddressList run() {
    bool in_group = false;
    while (i_ < t_.size() && !out_.is_truncated) {
      skip_comments();
      if (i_ >= t_.size()) break;
      if (is_special(',')) {
        ++i_;
      } else if (is_special(';')) {
        if (in_group) {
          emit(Address{AddressKind::group_end, {}, {}, {}, {}});
          in_group = false;
        } else {
          out_.has_errors = true;
        }
        ++i_;
      } else {
        parse_entry(in_group);
      }
    }
    if (in_group) {
      out_.has_errors = true;
      emit(Address{AddressKind::group_end, {}, {}, {}, {}});
    }
    return std::move(out_);
  }

 private:
  [[nodiscard]] bool is_special(char c) const {
    return i_ < t_.size() && t_[i_].kind == TokenKind::special && t_[i_].text[0] == c;
  }
  [[nodiscard]] bool is_word() const {
    return i_ < t_.size() && (t_[i_].kind == TokenKind::atom || t_[i_].kind == TokenKind::quoted);
  }
  void skip_comments() {
    while (i_ < t_.size() && t_[i_].kind == TokenKind::comment) ++i_;
  }
  void emit(Address address) {
    if (out_.entries.size() >= max_) {
      out_.is_truncated = true;
      return;
    }
    out_.entries.push_back(std::move(address));
  }
  // Skips to the next ',' or ';' (not consumed); anything but comments on the way is an error.
  void skip_to_separator() {
    while (i_ < t_.size() && !is_special(',') && !is_special(';')) {
      if (t_[i_].kind != TokenKind::comment) out_.has_errors = true;
      ++i_;
    }
  }
  // Atoms, dots and domain-literals up to anything else, comments skipped (obs-domain allows CFWS).
  std::string parse_domain() {
    std::string domain;
    while (i_ < t_.size()) {
      const Token& token = t_[i_];
      if (token.kind == TokenKind::atom || token.kind == TokenKind::domain_literal || is_special('.')) {
        domain += token.text;
      } else if (token.kind != TokenKind::comment) {
        break;
      } else if (i_ + 1 >= t_.size() || (t_[i_ + 1].kind != TokenKind::special || t_[i_ + 1].text[0] != '.')) {
        break;  // a trailing comment is not part of the domain; the caller may use it as a name
      }
      ++i_;
    }
    if (domain.empty()) out_.has_errors = true;
    return domain;
  }
  // obs-local-part: words and dots, joined without the whitespace around them.
  std::string parse_local_part() {
    std::string local;
    while (i_ < t_.size() && (is_word() || is_special('.') || t_[i_].kind == TokenKind::comment)) {
      if (t_[i_].kind != TokenKind::comment) local += t_[i_].text;
      ++i_;
    }
    return local;
  }
  // After '<': [obs-route] addr-spec '>'.
  void parse_angle_addr(Address& address) {
    skip_comments();
    if (is_special('@')) {
      std::string route;
      while (is_special('@') || is_special(',')) {
        if (is_special(',')) {
          route += ',';
          ++i_;
        } else {
          ++i_;
          route += '@' + parse_domain();
        }
        skip_comments();
      }
      if (is_special(':')) {
        ++i_;
      } else {
        out_.has_errors = true;
      }
      address.route = std::move(route);
    }
    address.local_part = parse_local_part();
    if (is_special('@')) {
      ++i_;
      address.domain = parse_domain();
    } else {
      out_.has_errors = true;
    }
    skip_comments();
    if (is_special('>')) {
      ++i_;
    } else {
      out_.has_errors = true;
    }
    if (address.local_part.empty()) out_.has_errors = true;
  }

  void parse_entry(bool& in_group) {
    std::string phrase;  // display name: words joined as written
    std::string local;   // the same words as a local part: joined without spaces
    bool has_phrase = false;
    while (i_ < t_.size()) {
      const Token& token = t_[i_];
      if (token.kind == TokenKind::comment) {
        ++i_;
        continue;
      }
      if (!is_word() && !is_special('.') && token.kind != TokenKind::domain_literal) break;
      if (token.has_space_before && !phrase.empty()) phrase += ' ';
      phrase += token.text;
      local += token.text;
      has_phrase = true;
      ++i_;
    }
    Address address;
    if (is_special(':')) {
      ++i_;
      if (in_group) {
        out_.has_errors = true;  // nested groups are not allowed; ignore the inner group name
        return;
      }
      in_group = true;
      emit(Address{AddressKind::group_start, {}, {}, phrase, {}});
      return;
    }
    if (is_special('<')) {
      ++i_;
      if (has_phrase) address.display_name = phrase;
      parse_angle_addr(address);
      skip_to_separator();
      emit(std::move(address));
      return;
    }
    if (is_special('@')) {
      ++i_;
      address.local_part = std::move(local);
      if (address.local_part.empty()) out_.has_errors = true;
      address.domain = parse_domain();
      if (i_ < t_.size() && t_[i_].kind == TokenKind::comment && !t_[i_].text.empty()) {
        address.display_name = t_[i_].text;  // "addr-spec (Name)", the RFC 822 habit
      }
      skip_to_separator();
      emit(std::move(address));
      return;
    }
    // A bare word list ("undisclosed-recipients", "user") or a stray special.
    if (has_phrase) {
      address.local_part = std::move(local);
      out_.has_errors = true;
      emit(std::move(address));
    }
    if (i_ < t_.size() && !is_special(',') && !is_special(';')) {
      out_.has_errors = true;
      ++i_;
    }
  }

  std::vector<Token> t_;
  std::size_t max_;
  std::size_t i_ = 0;
  AddressList out_;
};

bool is_dot_atom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == '.' || (static_cast<unsigned char>(c) > 32 && c != 127 && std::strchr(kSpecials, c) == nullptr);
  });
}

}  // namespace

AddressList parse_address_list(std::string_view value, std::size_t max_addresses) {
  return Parser(tokenize(value), max_addresses).run();
}

std::vector<const Address*> mailboxes(const AddressList& list) {
  std::vector<const Address*> out;
  for (const auto& entry : list.entries) {
    if (entry.kind == AddressKind::mailbox) out.push_back(&entry);
  }
  return out;
}

std::string addr_spec(const Address& address) {
  std::string out;
  if (is_dot_atom(address.local_part)) {
    out = address.local_part;
  } else {
    out.push_back('"');
    for (char c : address.local_part) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('@');
  out += address.domain;
  return out;
}

}  // namespace bulwark::parse::mime

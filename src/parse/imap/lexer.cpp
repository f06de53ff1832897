#include "parse/imap/lexer.h"

#include "parse/imap/mailbox_name.h"

namespace bulwark::parse::imap {
namespace {

char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool is_atom_char(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x1f || u >= 0x7f || c == ' ') return false;  // CTL, SP, non-CHAR
  switch (c) {
    case '(': case ')': case '{': case '%': case '*': case '"': case '\\': case ']':
      return false;
    default:
      return true;
  }
}

bool is_astring_char(char c) noexcept { return is_atom_char(c) || c == ']'; }

bool Lexer::consume(char c) noexcept {
  if (at_end() || text_[pos_] != c) return false;
  ++pos_;
  return true;
}

bool Lexer::consume_keyword(std::string_view keyword) noexcept {
  if (text_.size() - pos_ < keyword.size()) return false;
  for (std::size_t i = 0; i < keyword.size(); ++i) {
    if (upper(text_[pos_ + i]) != keyword[i]) return false;
  }
  const std::size_t end = pos_ + keyword.size();
  if (end < text_.size() && is_atom_char(text_[end])) return false;
  pos_ = end;
  return true;
}

Status Lexer::expect(char c) {
  if (consume(c)) return ok();
  if (c == ' ') return syntax_error(at_end() ? "missing argument" : "expected a space");
  return syntax_error(std::string("expected '") + c + "'");
}

Status Lexer::expect_end() {
  if (at_end()) return ok();
  return syntax_error("unexpected characters after the command");
}

Result<std::string_view> Lexer::atom() {
  const std::size_t start = pos_;
  while (!at_end() && is_atom_char(text_[pos_])) ++pos_;
  if (pos_ == start) return syntax_error(at_end() ? "missing argument" : "expected an atom");
  return text_.substr(start, pos_ - start);
}

Result<std::string> Lexer::keyword() {
  std::string out;
  while (!at_end() && is_atom_char(text_[pos_]) && text_[pos_] != '[' && text_[pos_] != '<') {
    out += upper(text_[pos_++]);
  }
  if (out.empty()) return syntax_error(at_end() ? "missing argument" : "expected a keyword");
  return out;
}

Result<std::string> Lexer::quoted() {
  if (!consume('"')) return syntax_error("expected a quoted string");
  std::string out;
  for (;;) {
    if (at_end()) return syntax_error("unterminated quoted string");
    const char c = text_[pos_++];
    const auto u = static_cast<unsigned char>(c);
    if (c == '"') break;
    if (c == '\\') {
      if (at_end() || (text_[pos_] != '"' && text_[pos_] != '\\')) {
        return syntax_error("bad escape in quoted string");
      }
      out += text_[pos_++];
    } else if (c == '\r' || c == '\n' || c == '\0') {
      return syntax_error("bad character in quoted string");
    } else if (u >= 0x80) {
      if (!options_.is_utf8_enabled) return syntax_error("8-bit character in quoted string");
      out += c;
    } else {
      out += c;
    }
  }
  if (options_.is_utf8_enabled && !is_valid_utf8(out)) return syntax_error("invalid UTF-8 in quoted string");
  return out;
}

Result<StringToken> Lexer::literal(bool allow_literal8) {
  StringToken token;
  if (consume('~')) {
    if (!allow_literal8) return syntax_error("literal8 not allowed here");
    token.is_literal8 = true;
  }
  if (!consume('{')) return syntax_error("expected a literal");
  auto size = number64();
  if (!size) return tl::unexpected(size.error());
  (void)consume('+');
  if (!consume('}')) return syntax_error("bad literal");
  if (!consume('\r') || !consume('\n')) return syntax_error("literal must be followed by CRLF");
  if (*size > text_.size() - pos_) return syntax_error("literal shorter than announced");
  token.value.assign(text_.substr(pos_, static_cast<std::size_t>(*size)));
  pos_ += static_cast<std::size_t>(*size);
  if (!token.is_literal8 && token.value.find('\0') != std::string::npos) {
    return syntax_error("NUL in literal (use literal8)");
  }
  return token;
}

Result<std::string> Lexer::string() {
  if (peek() == '"') return quoted();
  if (peek() == '{') {
    auto token = literal(false);
    if (!token) return tl::unexpected(token.error());
    return std::move(token->value);
  }
  return syntax_error(at_end() ? "missing argument" : "expected a string");
}

Result<std::string> Lexer::astring() {
  if (peek() == '"' || peek() == '{') return string();
  const std::size_t start = pos_;
  while (!at_end() && is_astring_char(text_[pos_])) ++pos_;
  if (pos_ == start) return syntax_error(at_end() ? "missing argument" : "expected an astring");
  return std::string(text_.substr(start, pos_ - start));
}

Result<std::optional<std::string>> Lexer::nstring() {
  if (consume_keyword("NIL")) return std::optional<std::string>();
  auto s = string();
  if (!s) return tl::unexpected(s.error());
  return std::optional<std::string>(std::move(*s));
}

Result<std::string> Lexer::checked_mailbox(std::string name) {
  if (options_.is_utf8_enabled) {
    if (!is_valid_utf8(name)) return syntax_error("mailbox name is not valid UTF-8");
  } else {
    for (char c : name) {
      if (static_cast<unsigned char>(c) >= 0x80) return syntax_error("8-bit mailbox name without UTF8=ACCEPT");
    }
  }
  return normalize_inbox(std::move(name), options_.hierarchy_delimiter);
}

Result<std::string> Lexer::mailbox() {
  auto name = astring();
  if (!name) return tl::unexpected(name.error());
  return checked_mailbox(std::move(*name));
}

Result<std::string> Lexer::list_mailbox() {
  if (peek() == '"' || peek() == '{') {
    auto s = string();
    if (!s) return tl::unexpected(s.error());
    return checked_mailbox(std::move(*s));
  }
  const std::size_t start = pos_;
  while (!at_end() && (is_astring_char(text_[pos_]) || text_[pos_] == '%' || text_[pos_] == '*')) ++pos_;
  if (pos_ == start) return syntax_error(at_end() ? "missing argument" : "expected a mailbox pattern");
  return checked_mailbox(std::string(text_.substr(start, pos_ - start)));
}

Result<std::uint64_t> Lexer::number64() {
  const std::size_t start = pos_;
  std::uint64_t value = 0;
  while (!at_end() && is_digit(text_[pos_])) {
    value = value * 10 + static_cast<std::uint64_t>(text_[pos_] - '0');
    if (value > 0x7FFFFFFFFFFFFFFFull) return fail(Errc::too_big, "number too large");
    ++pos_;
  }
  if (pos_ == start) return syntax_error(at_end() ? "missing argument" : "expected a number");
  return value;
}

Result<std::uint32_t> Lexer::number() {
  auto value = number64();
  if (!value) return tl::unexpected(value.error());
  if (*value > UINT32_MAX) return fail(Errc::too_big, "number too large");
  return static_cast<std::uint32_t>(*value);
}

Result<std::uint32_t> Lexer::nz_number() {
  if (peek() == '0') return syntax_error("number must not be zero");
  return number();
}

Result<std::uint64_t> Lexer::mod_sequence_valzer() { return number64(); }

Result<std::uint64_t> Lexer::mod_sequence_value() {
  auto value = number64();
  if (value && *value == 0) return syntax_error("mod-sequence must not be zero");
  return value;
}

Result<std::string> Lexer::flag() {
  const bool is_system = consume('\\');
  auto name = atom();
  if (!name) return tl::unexpected(name.error());
  return (is_system ? "\\" : "") + std::string(*name);
}

Result<std::vector<std::string>> Lexer::flag_list() {
  if (!consume('(')) return syntax_error("expected a flag list");
  std::vector<std::string> flags;
  if (consume(')')) return flags;
  for (;;) {
    auto f = flag();
    if (!f) return tl::unexpected(f.error());
    if (flags.size() >= kMaxListItems) return fail(Errc::too_big, "too many flags");
    flags.push_back(std::move(*f));
    if (consume(')')) return flags;
    if (auto s = expect_sp(); !s) return tl::unexpected(s.error());
  }
}

Result<SequenceSet> Lexer::sequence_set() {
  const std::size_t start = pos_;
  while (!at_end() && (is_digit(text_[pos_]) || text_[pos_] == '*' || text_[pos_] == ':' ||
                       text_[pos_] == ',' || text_[pos_] == '$')) {
    ++pos_;
  }
  if (!at_end() && is_atom_char(text_[pos_])) return syntax_error("bad sequence set");
  if (pos_ == start) return syntax_error(at_end() ? "missing argument" : "expected a sequence set");
  return SequenceSet::parse(text_.substr(start, pos_ - start));
}

}  // namespace bulwark::parse::imap

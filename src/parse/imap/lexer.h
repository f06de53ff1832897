// Lexer: the IMAP token readers shared by the command parsers (RFC 9051 9: atom, astring, string, quoted,
// literal, literal8, nstring, number, number64, mailbox, list-mailbox, flag, flag-list, sequence-set).
//
// Contract: each reader consumes its token and returns it, or fails with invalid_syntax (too_big for limits)
// leaving the position unspecified; callers give up on the first failure. Character classes are the RFC's:
//   ATOM-CHAR    = any CHAR except atom-specials  ( "(" ")" "{" SP CTL "%" "*" DQUOTE "\" "]" )
//   ASTRING-CHAR = ATOM-CHAR / "]"
// Internal to bulwark_parse_imap; not part of the public API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "parse/imap/command_parser.h"
#include "parse/imap/sequence_set.h"

namespace bulwark::parse::imap {

inline constexpr std::size_t kMaxListItems = 10000;  // items of one parenthesized list

[[nodiscard]] bool is_atom_char(char c) noexcept;
[[nodiscard]] bool is_astring_char(char c) noexcept;

[[nodiscard]] inline tl::unexpected<Error> syntax_error(std::string detail) {
  return fail(Errc::invalid_syntax, std::move(detail));
}

struct StringToken {
  std::string value;
  bool is_literal8 = false;
};

class Lexer {
 public:
  Lexer(std::string_view text, const ParseOptions& options) : text_(text), options_(options) {}

  [[nodiscard]] bool at_end() const noexcept { return pos_ >= text_.size(); }
  [[nodiscard]] char peek() const noexcept { return at_end() ? '\0' : text_[pos_]; }
  [[nodiscard]] std::size_t position() const noexcept { return pos_; }
  [[nodiscard]] const ParseOptions& options() const noexcept { return options_; }
  [[nodiscard]] bool consume(char c) noexcept;
  // Case-insensitive keyword followed by a delimiter (not an atom char); consumed only if it matches.
  [[nodiscard]] bool consume_keyword(std::string_view keyword) noexcept;

  [[nodiscard]] Status expect(char c);
  [[nodiscard]] Status expect_sp() { return expect(' '); }
  [[nodiscard]] Status expect_end();

  [[nodiscard]] Result<std::string_view> atom();
  // Characters up to a delimiter that may name a keyword like "BODY.PEEK", "RFC822.SIZE": ATOM-CHAR except
  // "[" and "<". Upper-cased.
  [[nodiscard]] Result<std::string> keyword();
  [[nodiscard]] Result<std::string> quoted();
  [[nodiscard]] Result<StringToken> literal(bool allow_literal8);
  [[nodiscard]] Result<std::string> string();   // quoted / literal
  [[nodiscard]] Result<std::string> astring();  // 1*ASTRING-CHAR / string
  [[nodiscard]] Result<std::optional<std::string>> nstring();
  [[nodiscard]] Result<std::string> mailbox();       // astring, INBOX normalized, encoding checked
  [[nodiscard]] Result<std::string> list_mailbox();  // 1*list-char / string

  [[nodiscard]] Result<std::uint32_t> number();
  [[nodiscard]] Result<std::uint32_t> nz_number();
  [[nodiscard]] Result<std::uint64_t> number64();
  [[nodiscard]] Result<std::uint64_t> mod_sequence_value();    // 1*DIGIT up to 2^63-1
  [[nodiscard]] Result<std::uint64_t> mod_sequence_valzer();   // may be 0

  [[nodiscard]] Result<std::string> flag();  // "\" atom or keyword atom
  [[nodiscard]] Result<std::vector<std::string>> flag_list();
  [[nodiscard]] Result<SequenceSet> sequence_set();

 private:
  [[nodiscard]] Result<std::string> checked_mailbox(std::string name);

  std::string_view text_;
  std::size_t pos_ = 0;
  const ParseOptions& options_;
};

}  // namespace bulwark::parse::imap

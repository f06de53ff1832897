// SEARCH / UID SEARCH (RFC 9051 6.4.4 and 9 "search-key"; RFC 4731 ESEARCH RETURN; RFC 5182 SAVE and "$";
// RFC 7162 3.1.5 MODSEQ; RFC 3501 NEW OLD RECENT), SORT and THREAD (RFC 5256 3; RFC 5267 ESORT RETURN;
// RFC 5957 DISPLAYFROM/DISPLAYTO). Nesting (parens, NOT, OR) is limited to kMaxSearchDepth.
#include <array>

#include "parse/imap/command_families.h"

namespace bulwark::parse::imap {
namespace {

struct KeyRow {
  std::string_view word;
  SearchKeyKind kind;
};

constexpr std::array kFlagKeys = {
    KeyRow{"ALL", SearchKeyKind::all},           KeyRow{"ANSWERED", SearchKeyKind::answered},
    KeyRow{"DELETED", SearchKeyKind::deleted},   KeyRow{"DRAFT", SearchKeyKind::draft},
    KeyRow{"FLAGGED", SearchKeyKind::flagged},   KeyRow{"SEEN", SearchKeyKind::seen},
    KeyRow{"RECENT", SearchKeyKind::recent},     KeyRow{"NEW", SearchKeyKind::new_},
    KeyRow{"OLD", SearchKeyKind::old},           KeyRow{"UNANSWERED", SearchKeyKind::unanswered},
    KeyRow{"UNDELETED", SearchKeyKind::undeleted}, KeyRow{"UNDRAFT", SearchKeyKind::undraft},
    KeyRow{"UNFLAGGED", SearchKeyKind::unflagged}, KeyRow{"UNSEEN", SearchKeyKind::unseen},
};

constexpr std::array kStringKeys = {
    KeyRow{"BCC", SearchKeyKind::bcc},         KeyRow{"BODY", SearchKeyKind::body},
    KeyRow{"CC", SearchKeyKind::cc},           KeyRow{"FROM", SearchKeyKind::from},
    KeyRow{"SUBJECT", SearchKeyKind::subject}, KeyRow{"TEXT", SearchKeyKind::text},
    KeyRow{"TO", SearchKeyKind::to},
};

constexpr std::array kDateKeys = {
    KeyRow{"BEFORE", SearchKeyKind::before},          KeyRow{"ON", SearchKeyKind::on},
    KeyRow{"SINCE", SearchKeyKind::since},            KeyRow{"SENTBEFORE", SearchKeyKind::sent_before},
    KeyRow{"SENTON", SearchKeyKind::sent_on},         KeyRow{"SENTSINCE", SearchKeyKind::sent_since},
};

template <std::size_t N>
const KeyRow* find_row(const std::array<KeyRow, N>& rows, std::string_view word) {
  for (const KeyRow& row : rows) {
    if (row.word == word) return &row;
  }
  return nullptr;
}

Result<SearchKey> parse_search_key(Lexer& lexer, int depth);

Result<Date> parse_search_date(Lexer& lexer) {
  if (lexer.peek() == '"') {
    BULWARK_IMAP_ASSIGN(text, lexer.quoted());
    return parse_date(text);
  }
  BULWARK_IMAP_ASSIGN(text, lexer.atom());
  return parse_date(text);
}

// "MODSEQ" [SP entry-name SP entry-type-req] SP mod-sequence-valzer (RFC 7162 3.1.5)
Status parse_modseq_key(Lexer& lexer, SearchKey& key) {
  BULWARK_IMAP_TRY(lexer.expect_sp());
  if (lexer.peek() == '"') {
    BULWARK_IMAP_ASSIGN(entry, lexer.quoted());
    if (entry.rfind("/flags/", 0) != 0) return syntax_error("MODSEQ: bad entry name");
    BULWARK_IMAP_TRY(lexer.expect_sp());
    BULWARK_IMAP_ASSIGN(type, lexer.keyword());
    if (type == "PRIV") key.modseq_entry_type = ModseqEntryType::private_;
    else if (type == "SHARED") key.modseq_entry_type = ModseqEntryType::shared;
    else if (type == "ALL") key.modseq_entry_type = ModseqEntryType::all;
    else return syntax_error("MODSEQ: bad entry type");
    key.modseq_entry_name = std::move(entry);
    BULWARK_IMAP_TRY(lexer.expect_sp());
  }
  BULWARK_IMAP_ASSIGN(value, lexer.mod_sequence_valzer());
  key.number = value;
  return ok();
}

Result<SearchKey> parse_key_list(Lexer& lexer, int depth) {
  SearchKey key;
  key.kind = SearchKeyKind::and_all;
  for (;;) {
    BULWARK_IMAP_ASSIGN(child, parse_search_key(lexer, depth + 1));
    if (key.children.size() >= kMaxListItems) return fail(Errc::too_big, "too many search keys");
    key.children.push_back(std::move(child));
    if (lexer.consume(')')) return key;
    BULWARK_IMAP_TRY(lexer.expect_sp());
  }
}

Result<SearchKey> parse_search_key(Lexer& lexer, int depth) {
  if (depth > kMaxSearchDepth) return fail(Errc::too_big, "search keys nested too deeply");
  SearchKey key;
  const char first = lexer.peek();
  if (first == '(') {
    (void)lexer.consume('(');
    return parse_key_list(lexer, depth);
  }
  if ((first >= '0' && first <= '9') || first == '*' || first == '$') {
    BULWARK_IMAP_ASSIGN(set, lexer.sequence_set());
    key.kind = SearchKeyKind::sequence_set;
    key.sequence_set = std::move(set);
    return key;
  }
  BULWARK_IMAP_ASSIGN(word, lexer.keyword());
  if (const KeyRow* row = find_row(kFlagKeys, word)) {
    key.kind = row->kind;
  } else if (const KeyRow* string_row = find_row(kStringKeys, word)) {
    key.kind = string_row->kind;
    BULWARK_IMAP_TRY(lexer.expect_sp());
    BULWARK_IMAP_ASSIGN(text, lexer.astring());
    key.text = std::move(text);
  } else if (const KeyRow* date_row = find_row(kDateKeys, word)) {
    key.kind = date_row->kind;
    BULWARK_IMAP_TRY(lexer.expect_sp());
    BULWARK_IMAP_ASSIGN(date, parse_search_date(lexer));
    key.date = date;
  } else if (word == "KEYWORD" || word == "UNKEYWORD") {
    key.kind = word == "KEYWORD" ? SearchKeyKind::keyword : SearchKeyKind::unkeyword;
    BULWARK_IMAP_TRY(lexer.expect_sp());
    BULWARK_IMAP_ASSIGN(flag, lexer.atom());
    key.text.assign(flag);
  } else if (word == "HEADER") {
    key.kind = SearchKeyKind::header;
    BULWARK_IMAP_TRY(lexer.expect_sp());
    BULWARK_IMAP_ASSIGN(field, lexer.astring());
    BULWARK_IMAP_TRY(lexer.expect_sp());
    BULWARK_IMAP_ASSIGN(text, lexer.astring());
    key.header_field = std::move(field);
    key.text = std::move(text);
  } else if (word == "LARGER" || word == "SMALLER") {
    key.kind = word == "LARGER" ? SearchKeyKind::larger : SearchKeyKind::smaller;
    BULWARK_IMAP_TRY(lexer.expect_sp());
    BULWARK_IMAP_ASSIGN(size, lexer.number64());
    key.number = size;
  } else if (word == "UID") {
    key.kind = SearchKeyKind::uid;
    BULWARK_IMAP_TRY(lexer.expect_sp());
    BULWARK_IMAP_ASSIGN(set, lexer.sequence_set());
    key.sequence_set = std::move(set);
  } else if (word == "NOT") {
    key.kind = SearchKeyKind::not_one;
    BULWARK_IMAP_TRY(lexer.expect_sp());
    BULWARK_IMAP_ASSIGN(child, parse_search_key(lexer, depth + 1));
    key.children.push_back(std::move(child));
  } else if (word == "OR") {
    key.kind = SearchKeyKind::or_either;
    BULWARK_IMAP_TRY(lexer.expect_sp());
    BULWARK_IMAP_ASSIGN(left, parse_search_key(lexer, depth + 1));
    BULWARK_IMAP_TRY(lexer.expect_sp());
    BULWARK_IMAP_ASSIGN(right, parse_search_key(lexer, depth + 1));
    key.children.push_back(std::move(left));
    key.children.push_back(std::move(right));
  } else if (word == "MODSEQ") {
    key.kind = SearchKeyKind::modseq;
    BULWARK_IMAP_TRY(parse_modseq_key(lexer, key));
  } else {
    return syntax_error("unknown search key");
  }
  return key;
}

// search-key *(SP search-key) up to the end of the command, as an and_all node.
Result<SearchKey> parse_search_keys(Lexer& lexer) {
  SearchKey root;
  root.kind = SearchKeyKind::and_all;
  do {
    BULWARK_IMAP_ASSIGN(key, parse_search_key(lexer, 1));
    if (root.children.size() >= kMaxListItems) return fail(Errc::too_big, "too many search keys");
    root.children.push_back(std::move(key));
    if (lexer.at_end()) break;
    BULWARK_IMAP_TRY(lexer.expect_sp());
  } while (true);
  return root;
}

// [SP "RETURN" SP "(" [opt *(SP opt)] ")"] (RFC 4731 3.1, RFC 5267 3.1)
Result<std::optional<std::vector<SearchReturnOption>>> parse_return_options(Lexer& lexer) {
  if (!lexer.consume_keyword("RETURN")) return std::optional<std::vector<SearchReturnOption>>();
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_TRY(lexer.expect('('));
  std::vector<SearchReturnOption> options;
  if (!lexer.consume(')')) {
    for (;;) {
      BULWARK_IMAP_ASSIGN(word, lexer.keyword());
      SearchReturnOption option = SearchReturnOption::all;
      if (word == "MIN") option = SearchReturnOption::min;
      else if (word == "MAX") option = SearchReturnOption::max;
      else if (word == "ALL") option = SearchReturnOption::all;
      else if (word == "COUNT") option = SearchReturnOption::count;
      else if (word == "SAVE") option = SearchReturnOption::save;
      else return syntax_error("unknown RETURN option");
      if (options.size() >= kMaxListItems) return fail(Errc::too_big, "too many RETURN options");
      options.push_back(option);
      if (lexer.consume(')')) break;
      BULWARK_IMAP_TRY(lexer.expect_sp());
    }
  }
  BULWARK_IMAP_TRY(lexer.expect_sp());
  return std::optional<std::vector<SearchReturnOption>>(std::move(options));
}

Result<std::string> parse_charset(Lexer& lexer) {
  std::string charset;
  if (lexer.peek() == '"') {
    BULWARK_IMAP_ASSIGN(quoted, lexer.quoted());
    charset = std::move(quoted);
  } else {
    BULWARK_IMAP_ASSIGN(atom, lexer.atom());
    charset.assign(atom);
  }
  for (char& c : charset) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  if (charset.empty()) return syntax_error("empty charset");
  return charset;
}

}  // namespace

ArgsResult parse_search(Lexer& lexer, CommandName) {
  SearchArgs args;
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(return_options, parse_return_options(lexer));
  args.return_options = std::move(return_options);
  if (lexer.consume_keyword("CHARSET")) {
    BULWARK_IMAP_TRY(lexer.expect_sp());
    BULWARK_IMAP_ASSIGN(charset, parse_charset(lexer));
    args.charset = std::move(charset);
    BULWARK_IMAP_TRY(lexer.expect_sp());
  }
  BULWARK_IMAP_ASSIGN(key, parse_search_keys(lexer));
  args.key = std::move(key);
  return args;
}

ArgsResult parse_sort(Lexer& lexer, CommandName) {
  SortArgs args;
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(return_options, parse_return_options(lexer));
  args.return_options = std::move(return_options);
  BULWARK_IMAP_TRY(lexer.expect('('));
  for (;;) {
    SortCriterion criterion;
    BULWARK_IMAP_ASSIGN(word, lexer.keyword());
    if (word == "REVERSE") {
      criterion.is_reverse = true;
      BULWARK_IMAP_TRY(lexer.expect_sp());
      BULWARK_IMAP_ASSIGN(next, lexer.keyword());
      word = std::move(next);
    }
    if (word == "ARRIVAL") criterion.key = SortKey::arrival;
    else if (word == "CC") criterion.key = SortKey::cc;
    else if (word == "DATE") criterion.key = SortKey::date;
    else if (word == "FROM") criterion.key = SortKey::from;
    else if (word == "SIZE") criterion.key = SortKey::size;
    else if (word == "SUBJECT") criterion.key = SortKey::subject;
    else if (word == "TO") criterion.key = SortKey::to;
    else if (word == "DISPLAYFROM") criterion.key = SortKey::display_from;
    else if (word == "DISPLAYTO") criterion.key = SortKey::display_to;
    else return syntax_error("unknown sort key");
    if (args.criteria.size() >= kMaxListItems) return fail(Errc::too_big, "too many sort keys");
    args.criteria.push_back(criterion);
    if (lexer.consume(')')) break;
    BULWARK_IMAP_TRY(lexer.expect_sp());
  }
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(charset, parse_charset(lexer));
  args.charset = std::move(charset);
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(key, parse_search_keys(lexer));
  args.key = std::move(key);
  return args;
}

ArgsResult parse_thread(Lexer& lexer, CommandName) {
  ThreadArgs args;
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(algorithm, lexer.keyword());
  if (algorithm == "ORDEREDSUBJECT") args.algorithm = ThreadAlgorithm::orderedsubject;
  else if (algorithm == "REFERENCES") args.algorithm = ThreadAlgorithm::references;
  else return syntax_error("unknown thread algorithm");
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(charset, parse_charset(lexer));
  args.charset = std::move(charset);
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(key, parse_search_keys(lexer));
  args.key = std::move(key);
  return args;
}

}  // namespace bulwark::parse::imap

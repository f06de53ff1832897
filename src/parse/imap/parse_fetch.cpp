// FETCH / UID FETCH (RFC 9051 6.4.5 and 9 "fetch-att", "section", "partial"; RFC 3516 BINARY; RFC 7162
// 3.1.4 MODSEQ, CHANGEDSINCE and 3.2.6 VANISHED).
#include "parse/imap/command_families.h"

namespace bulwark::parse::imap {
namespace {

constexpr std::size_t kMaxSectionParts = 64;

FetchItem simple(FetchAttribute attribute) {
  FetchItem item;
  item.attribute = attribute;
  return item;
}

// section-part = nz-number *("." nz-number). True when a "." that starts section-text was consumed.
Result<bool> parse_section_part(Lexer& lexer, Section& section) {
  for (;;) {
    BULWARK_IMAP_ASSIGN(number, lexer.nz_number());
    if (section.part.size() >= kMaxSectionParts) return fail(Errc::too_big, "section nested too deeply");
    section.part.push_back(number);
    if (!lexer.consume('.')) return false;
    if (lexer.peek() < '0' || lexer.peek() > '9') return true;
  }
}

Status parse_header_list(Lexer& lexer, Section& section) {
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_TRY(lexer.expect('('));
  for (;;) {
    BULWARK_IMAP_ASSIGN(field, lexer.astring());
    if (section.header_fields.size() >= kMaxListItems) return fail(Errc::too_big, "too many header fields");
    section.header_fields.push_back(std::move(field));
    if (lexer.consume(')')) return ok();
    BULWARK_IMAP_TRY(lexer.expect_sp());
  }
}

// "[" [section-spec] "]" for BODY; "[" [section-part] "]" for BINARY (is_binary).
Result<Section> parse_section(Lexer& lexer, bool is_binary) {
  Section section;
  BULWARK_IMAP_TRY(lexer.expect('['));
  if (lexer.consume(']')) return section;
  const bool has_part = lexer.peek() >= '0' && lexer.peek() <= '9';
  if (has_part) {
    BULWARK_IMAP_ASSIGN(has_text, parse_section_part(lexer, section));
    if (!has_text) {
      BULWARK_IMAP_TRY(lexer.expect(']'));
      return section;
    }
  }
  if (is_binary) return syntax_error("BINARY takes only a part number");
  BULWARK_IMAP_ASSIGN(text, lexer.keyword());
  if (text == "HEADER") {
    section.text = SectionText::header;
  } else if (text == "TEXT") {
    section.text = SectionText::text;
  } else if (text == "MIME" && has_part) {
    section.text = SectionText::mime;
  } else if (text == "HEADER.FIELDS" || text == "HEADER.FIELDS.NOT") {
    section.text = text == "HEADER.FIELDS" ? SectionText::header_fields : SectionText::header_fields_not;
    BULWARK_IMAP_TRY(parse_header_list(lexer, section));
  } else {
    return syntax_error("bad section");
  }
  BULWARK_IMAP_TRY(lexer.expect(']'));
  return section;
}

// "<" number64 "." nz-number64 ">"
Result<std::optional<Partial>> parse_partial(Lexer& lexer) {
  if (!lexer.consume('<')) return std::optional<Partial>();
  Partial partial;
  BULWARK_IMAP_ASSIGN(offset, lexer.number64());
  BULWARK_IMAP_TRY(lexer.expect('.'));
  if (lexer.peek() == '0') return syntax_error("partial length must not be zero");
  BULWARK_IMAP_ASSIGN(count, lexer.number64());
  BULWARK_IMAP_TRY(lexer.expect('>'));
  partial.offset = offset;
  partial.count = count;
  return std::optional<Partial>(partial);
}

Result<FetchItem> parse_fetch_att(Lexer& lexer) {
  BULWARK_IMAP_ASSIGN(word, lexer.keyword());
  if (word == "FLAGS") return simple(FetchAttribute::flags);
  if (word == "INTERNALDATE") return simple(FetchAttribute::internaldate);
  if (word == "RFC822.SIZE") return simple(FetchAttribute::rfc822_size);
  if (word == "ENVELOPE") return simple(FetchAttribute::envelope);
  if (word == "BODYSTRUCTURE") return simple(FetchAttribute::bodystructure);
  if (word == "UID") return simple(FetchAttribute::uid);
  if (word == "MODSEQ") return simple(FetchAttribute::modseq);
  if (word == "RFC822") return simple(FetchAttribute::rfc822);
  if (word == "RFC822.HEADER") return simple(FetchAttribute::rfc822_header);
  if (word == "RFC822.TEXT") return simple(FetchAttribute::rfc822_text);
  FetchItem item;
  bool is_binary = false;
  bool has_partial = true;
  if (word == "BODY") {
    if (lexer.peek() != '[') return simple(FetchAttribute::body);
    item.attribute = FetchAttribute::body_section;
  } else if (word == "BODY.PEEK") {
    item.attribute = FetchAttribute::body_peek;
  } else if (word == "BINARY") {
    item.attribute = FetchAttribute::binary;
    is_binary = true;
  } else if (word == "BINARY.PEEK") {
    item.attribute = FetchAttribute::binary_peek;
    is_binary = true;
  } else if (word == "BINARY.SIZE") {
    item.attribute = FetchAttribute::binary_size;
    is_binary = true;
    has_partial = false;
  } else {
    return syntax_error("unknown fetch attribute");
  }
  BULWARK_IMAP_ASSIGN(section, parse_section(lexer, is_binary));
  item.section = std::move(section);
  if (has_partial) {
    BULWARK_IMAP_ASSIGN(partial, parse_partial(lexer));
    item.partial = partial;
  }
  return item;
}

Status parse_fetch_modifiers(Lexer& lexer, FetchArgs& args) {
  BULWARK_IMAP_TRY(lexer.expect('('));
  for (;;) {
    BULWARK_IMAP_ASSIGN(word, lexer.keyword());
    if (word == "CHANGEDSINCE" && !args.changed_since) {
      BULWARK_IMAP_TRY(lexer.expect_sp());
      BULWARK_IMAP_ASSIGN(modseq, lexer.mod_sequence_value());
      args.changed_since = modseq;
    } else if (word == "VANISHED" && !args.is_vanished) {
      args.is_vanished = true;
    } else {
      return syntax_error("unknown or repeated fetch modifier");
    }
    if (lexer.consume(')')) return ok();
    BULWARK_IMAP_TRY(lexer.expect_sp());
  }
}

}  // namespace

ArgsResult parse_fetch(Lexer& lexer, CommandName name) {
  FetchArgs args;
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(set, lexer.sequence_set());
  args.sequence_set = std::move(set);
  BULWARK_IMAP_TRY(lexer.expect_sp());
  if (lexer.consume('(')) {
    for (;;) {
      BULWARK_IMAP_ASSIGN(item, parse_fetch_att(lexer));
      if (args.items.size() >= kMaxListItems) return fail(Errc::too_big, "too many fetch items");
      args.items.push_back(std::move(item));
      if (lexer.consume(')')) break;
      BULWARK_IMAP_TRY(lexer.expect_sp());
    }
  } else if (lexer.consume_keyword("ALL")) {
    args.items = {simple(FetchAttribute::flags), simple(FetchAttribute::internaldate),
                  simple(FetchAttribute::rfc822_size), simple(FetchAttribute::envelope)};
  } else if (lexer.consume_keyword("FAST")) {
    args.items = {simple(FetchAttribute::flags), simple(FetchAttribute::internaldate),
                  simple(FetchAttribute::rfc822_size)};
  } else if (lexer.consume_keyword("FULL")) {
    args.items = {simple(FetchAttribute::flags), simple(FetchAttribute::internaldate),
                  simple(FetchAttribute::rfc822_size), simple(FetchAttribute::envelope),
                  simple(FetchAttribute::body)};
  } else {
    BULWARK_IMAP_ASSIGN(item, parse_fetch_att(lexer));
    args.items.push_back(std::move(item));
  }
  if (lexer.consume(' ')) BULWARK_IMAP_TRY(parse_fetch_modifiers(lexer, args));
  BULWARK_IMAP_TRY(lexer.expect_end());
  if (args.is_vanished && (name != CommandName::uid_fetch || !args.changed_since)) {
    return syntax_error("VANISHED needs UID FETCH and CHANGEDSINCE");  // RFC 7162 3.2.6
  }
  return args;
}

}  // namespace bulwark::parse::imap

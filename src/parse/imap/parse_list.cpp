// LIST (RFC 9051 6.3.9 with RFC 5258 LIST-EXTENDED selection and return options, RFC 5819 RETURN STATUS,
// RFC 6154 SPECIAL-USE) and LSUB (RFC 3501 6.3.9).
#include "parse/imap/command_families.h"

namespace bulwark::parse::imap {
namespace {

Status parse_selection_options(Lexer& lexer, ListArgs& args) {
  BULWARK_IMAP_TRY(lexer.expect('('));
  if (lexer.consume(')')) return ok();
  for (;;) {
    BULWARK_IMAP_ASSIGN(option, lexer.keyword());
    if (option == "SUBSCRIBED") args.select_subscribed = true;
    else if (option == "REMOTE") args.select_remote = true;
    else if (option == "RECURSIVEMATCH") args.select_recursive_match = true;
    else if (option == "SPECIAL-USE") args.select_special_use = true;
    else return syntax_error("unknown LIST selection option");
    if (lexer.consume(')')) break;
    BULWARK_IMAP_TRY(lexer.expect_sp());
  }
  // RFC 5258 3.1: RECURSIVEMATCH needs a base selection option.
  if (args.select_recursive_match && !args.select_subscribed && !args.select_special_use) {
    return syntax_error("RECURSIVEMATCH needs another selection option");
  }
  return ok();
}

Status parse_return_options(Lexer& lexer, ListArgs& args) {
  BULWARK_IMAP_TRY(lexer.expect('('));
  if (lexer.consume(')')) return ok();
  for (;;) {
    BULWARK_IMAP_ASSIGN(option, lexer.keyword());
    if (option == "SUBSCRIBED") {
      args.return_subscribed = true;
    } else if (option == "CHILDREN") {
      args.return_children = true;
    } else if (option == "SPECIAL-USE") {
      args.return_special_use = true;
    } else if (option == "STATUS" && !args.return_status) {
      BULWARK_IMAP_TRY(lexer.expect_sp());
      BULWARK_IMAP_ASSIGN(items, parse_status_items(lexer));
      args.return_status = std::move(items);
    } else {
      return syntax_error("unknown LIST return option");
    }
    if (lexer.consume(')')) return ok();
    BULWARK_IMAP_TRY(lexer.expect_sp());
  }
}

}  // namespace

ArgsResult parse_list(Lexer& lexer, CommandName) {
  ListArgs args;
  BULWARK_IMAP_TRY(lexer.expect_sp());
  if (lexer.peek() == '(') {
    args.is_extended = true;
    BULWARK_IMAP_TRY(parse_selection_options(lexer, args));
    BULWARK_IMAP_TRY(lexer.expect_sp());
  }
  BULWARK_IMAP_ASSIGN(reference, lexer.mailbox());
  args.reference = std::move(reference);
  BULWARK_IMAP_TRY(lexer.expect_sp());
  if (lexer.consume('(')) {
    args.is_extended = true;
    for (;;) {
      BULWARK_IMAP_ASSIGN(pattern, lexer.list_mailbox());
      if (args.patterns.size() >= kMaxListItems) return fail(Errc::too_big, "too many patterns");
      args.patterns.push_back(std::move(pattern));
      if (lexer.consume(')')) break;
      BULWARK_IMAP_TRY(lexer.expect_sp());
    }
  } else {
    BULWARK_IMAP_ASSIGN(pattern, lexer.list_mailbox());
    args.patterns.push_back(std::move(pattern));
  }
  if (lexer.consume(' ')) {
    if (!lexer.consume_keyword("RETURN")) return syntax_error("expected RETURN");
    args.is_extended = true;
    BULWARK_IMAP_TRY(lexer.expect_sp());
    BULWARK_IMAP_TRY(parse_return_options(lexer, args));
  }
  BULWARK_IMAP_TRY(lexer.expect_end());
  return args;
}

ArgsResult parse_lsub(Lexer& lexer, CommandName) {
  ListArgs args;
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(reference, lexer.mailbox());
  args.reference = std::move(reference);
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(pattern, lexer.list_mailbox());
  args.patterns.push_back(std::move(pattern));
  BULWARK_IMAP_TRY(lexer.expect_end());
  return args;
}

}  // namespace bulwark::parse::imap

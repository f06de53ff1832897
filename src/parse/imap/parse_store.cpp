// STORE / UID STORE (RFC 9051 6.4.6; RFC 7162 3.1.3 UNCHANGEDSINCE), COPY / MOVE and their UID forms
// (6.4.7, 6.4.8), UID EXPUNGE (6.4.9, RFC 4315 2.1).
#include "parse/imap/command_families.h"

namespace bulwark::parse::imap {

ArgsResult parse_store(Lexer& lexer, CommandName) {
  StoreArgs args;
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(set, lexer.sequence_set());
  args.sequence_set = std::move(set);
  BULWARK_IMAP_TRY(lexer.expect_sp());
  if (lexer.consume('(')) {
    if (!lexer.consume_keyword("UNCHANGEDSINCE")) return syntax_error("unknown store modifier");
    BULWARK_IMAP_TRY(lexer.expect_sp());
    BULWARK_IMAP_ASSIGN(modseq, lexer.mod_sequence_valzer());
    args.unchanged_since = modseq;
    BULWARK_IMAP_TRY(lexer.expect(')'));
    BULWARK_IMAP_TRY(lexer.expect_sp());
  }
  if (lexer.consume('+')) {
    args.mode = StoreMode::add;
  } else if (lexer.consume('-')) {
    args.mode = StoreMode::remove;
  }
  BULWARK_IMAP_ASSIGN(item, lexer.keyword());
  if (item == "FLAGS.SILENT") {
    args.is_silent = true;
  } else if (item != "FLAGS") {
    return syntax_error("expected FLAGS, +FLAGS or -FLAGS");
  }
  BULWARK_IMAP_TRY(lexer.expect_sp());
  if (lexer.peek() == '(') {
    BULWARK_IMAP_ASSIGN(flags, lexer.flag_list());
    args.flags = std::move(flags);
  } else {
    for (;;) {
      BULWARK_IMAP_ASSIGN(flag, lexer.flag());
      if (args.flags.size() >= kMaxListItems) return fail(Errc::too_big, "too many flags");
      args.flags.push_back(std::move(flag));
      if (lexer.at_end()) break;
      BULWARK_IMAP_TRY(lexer.expect_sp());
    }
  }
  BULWARK_IMAP_TRY(lexer.expect_end());
  return args;
}

ArgsResult parse_copy(Lexer& lexer, CommandName) {
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(set, lexer.sequence_set());
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(mailbox, lexer.mailbox());
  BULWARK_IMAP_TRY(lexer.expect_end());
  return CopyArgs{std::move(set), std::move(mailbox)};
}

ArgsResult parse_uid_expunge(Lexer& lexer, CommandName) {
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(set, lexer.sequence_set());
  BULWARK_IMAP_TRY(lexer.expect_end());
  return UidExpungeArgs{std::move(set)};
}

}  // namespace bulwark::parse::imap

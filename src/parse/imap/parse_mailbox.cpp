// Mailbox commands: SELECT/EXAMINE (RFC 9051 6.3.2-6.3.3, RFC 7162 3.1.8 CONDSTORE, 3.2.5 QRESYNC), CREATE
// (6.3.4, RFC 6154 3 USE), DELETE/SUBSCRIBE/UNSUBSCRIBE/GETQUOTAROOT (one mailbox), RENAME (6.3.6),
// STATUS (6.3.11, RFC 7162 HIGHESTMODSEQ, RFC 8438 SIZE, RFC 7889 APPENDLIMIT).
#include "parse/imap/command_families.h"

namespace bulwark::parse::imap {
namespace {

// Fills `params` in place: moving a QresyncParams out of a Result trips g++ 12's -Wmaybe-uninitialized.
Status parse_qresync(Lexer& lexer, QresyncParams& params) {
  BULWARK_IMAP_TRY(lexer.expect('('));
  BULWARK_IMAP_ASSIGN(uidvalidity, lexer.nz_number());
  params.uidvalidity = uidvalidity;
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(modseq, lexer.mod_sequence_value());
  params.modseq = modseq;
  if (lexer.consume(' ')) {
    if (lexer.peek() != '(') {
      BULWARK_IMAP_ASSIGN(known_uids, lexer.sequence_set());
      params.known_uids.emplace(std::move(known_uids));
      if (params.known_uids->to_string().find_first_of("*$") != std::string::npos) {
        return syntax_error("QRESYNC: known-uids must not contain * or $");
      }
      if (lexer.consume(' ') && lexer.peek() != '(') return syntax_error("QRESYNC: expected seq-match-data");
    }
    if (lexer.consume('(')) {
      BULWARK_IMAP_ASSIGN(numbers, lexer.sequence_set());
      BULWARK_IMAP_TRY(lexer.expect_sp());
      BULWARK_IMAP_ASSIGN(uids, lexer.sequence_set());
      BULWARK_IMAP_TRY(lexer.expect(')'));
      params.known_sequence_numbers.emplace(std::move(numbers));
      params.known_sequence_uids.emplace(std::move(uids));
    }
  }
  return lexer.expect(')');
}

}  // namespace

ArgsResult parse_select(Lexer& lexer, CommandName) {
  SelectArgs args;
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(mailbox, lexer.mailbox());
  args.mailbox = std::move(mailbox);
  if (lexer.consume(' ')) {
    BULWARK_IMAP_TRY(lexer.expect('('));
    for (;;) {
      BULWARK_IMAP_ASSIGN(param, lexer.keyword());
      if (param == "CONDSTORE" && !args.is_condstore) {
        args.is_condstore = true;
      } else if (param == "QRESYNC" && !args.qresync) {
        BULWARK_IMAP_TRY(lexer.expect_sp());
        BULWARK_IMAP_TRY(parse_qresync(lexer, args.qresync.emplace()));
      } else {
        return syntax_error("unknown or repeated select parameter");
      }
      if (lexer.consume(')')) break;
      BULWARK_IMAP_TRY(lexer.expect_sp());
    }
  }
  BULWARK_IMAP_TRY(lexer.expect_end());
  return args;
}

ArgsResult parse_create(Lexer& lexer, CommandName) {
  CreateArgs args;
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(mailbox, lexer.mailbox());
  args.mailbox = std::move(mailbox);
  if (lexer.consume(' ')) {
    BULWARK_IMAP_TRY(lexer.expect('('));
    bool has_use = false;
    for (;;) {
      if (!lexer.consume_keyword("USE") || has_use) return syntax_error("unknown or repeated create parameter");
      has_use = true;
      BULWARK_IMAP_TRY(lexer.expect_sp());
      BULWARK_IMAP_ASSIGN(attributes, lexer.flag_list());
      for (const std::string& attribute : attributes) {
        if (attribute.empty() || attribute[0] != '\\') return syntax_error("USE: expected a special-use attribute");
      }
      args.special_use = std::move(attributes);
      if (lexer.consume(')')) break;
      BULWARK_IMAP_TRY(lexer.expect_sp());
    }
  }
  BULWARK_IMAP_TRY(lexer.expect_end());
  return args;
}

ArgsResult parse_mailbox_only(Lexer& lexer, CommandName) {
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(mailbox, lexer.mailbox());
  BULWARK_IMAP_TRY(lexer.expect_end());
  return MailboxArgs{std::move(mailbox)};
}

ArgsResult parse_rename(Lexer& lexer, CommandName) {
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(from, lexer.mailbox());
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(to, lexer.mailbox());
  BULWARK_IMAP_TRY(lexer.expect_end());
  return RenameArgs{std::move(from), std::move(to)};
}

Result<std::vector<StatusItem>> parse_status_items(Lexer& lexer) {
  std::vector<StatusItem> items;
  BULWARK_IMAP_TRY(lexer.expect('('));
  for (;;) {
    BULWARK_IMAP_ASSIGN(word, lexer.keyword());
    StatusItem item = StatusItem::messages;
    if (word == "MESSAGES") item = StatusItem::messages;
    else if (word == "UIDNEXT") item = StatusItem::uidnext;
    else if (word == "UIDVALIDITY") item = StatusItem::uidvalidity;
    else if (word == "UNSEEN") item = StatusItem::unseen;
    else if (word == "DELETED") item = StatusItem::deleted;
    else if (word == "SIZE") item = StatusItem::size;
    else if (word == "RECENT") item = StatusItem::recent;
    else if (word == "HIGHESTMODSEQ") item = StatusItem::highestmodseq;
    else if (word == "APPENDLIMIT") item = StatusItem::appendlimit;
    else return syntax_error("unknown status item");
    if (items.size() >= kMaxListItems) return fail(Errc::too_big, "too many status items");
    items.push_back(item);
    if (lexer.consume(')')) return items;
    BULWARK_IMAP_TRY(lexer.expect_sp());
  }
}

ArgsResult parse_status(Lexer& lexer, CommandName) {
  StatusArgs args;
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(mailbox, lexer.mailbox());
  args.mailbox = std::move(mailbox);
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(items, parse_status_items(lexer));
  args.items = std::move(items);
  BULWARK_IMAP_TRY(lexer.expect_end());
  return args;
}

}  // namespace bulwark::parse::imap

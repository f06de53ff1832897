// APPEND (RFC 9051 6.3.12) with MULTIAPPEND (RFC 3502 6: several messages, each with its own flags and
// date-time), literal8 message data (RFC 3516 4.4) and UTF8 (literal8) data (RFC 6855 4). CATENATE is not
// supported (BAD).
#include "parse/imap/command_families.h"

namespace bulwark::parse::imap {
namespace {

constexpr std::size_t kMaxAppendMessages = 1000;

Result<AppendMessage> parse_append_message(Lexer& lexer) {
  AppendMessage message;
  if (lexer.peek() == '(') {
    BULWARK_IMAP_ASSIGN(flags, lexer.flag_list());
    message.flags = std::move(flags);
    BULWARK_IMAP_TRY(lexer.expect_sp());
  }
  if (lexer.peek() == '"') {
    BULWARK_IMAP_ASSIGN(text, lexer.quoted());
    BULWARK_IMAP_ASSIGN(date_time, parse_date_time("\"" + text + "\""));
    message.internal_date = date_time;
    BULWARK_IMAP_TRY(lexer.expect_sp());
  }
  // RFC 6855 4: "UTF8 (" literal8 ")" appends a message with UTF-8 headers (UTF8=ACCEPT).
  const bool is_utf8_data = lexer.consume_keyword("UTF8");
  if (is_utf8_data) {
    BULWARK_IMAP_TRY(lexer.expect_sp());
    BULWARK_IMAP_TRY(lexer.expect('('));
    if (lexer.peek() != '~') return syntax_error("APPEND: UTF8 needs a literal8");
  }
  if (lexer.peek() != '{' && lexer.peek() != '~') return syntax_error("APPEND: expected a literal");
  BULWARK_IMAP_ASSIGN(data, lexer.literal(true));
  message.content = std::move(data.value);
  message.is_literal8 = data.is_literal8;
  if (is_utf8_data) BULWARK_IMAP_TRY(lexer.expect(')'));
  return message;
}

}  // namespace

ArgsResult parse_append(Lexer& lexer, CommandName) {
  AppendArgs args;
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(mailbox, lexer.mailbox());
  args.mailbox = std::move(mailbox);
  do {
    BULWARK_IMAP_TRY(lexer.expect_sp());
    if (args.messages.size() >= kMaxAppendMessages) return fail(Errc::too_big, "too many messages in APPEND");
    BULWARK_IMAP_ASSIGN(message, parse_append_message(lexer));
    args.messages.push_back(std::move(message));
  } while (!lexer.at_end());
  return args;
}

}  // namespace bulwark::parse::imap

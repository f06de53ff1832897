// Session and server-wide commands: CAPABILITY NOOP LOGOUT STARTTLS ... (no arguments), AUTHENTICATE, LOGIN,
// ENABLE (RFC 9051 6.1-6.3.1), GETQUOTA/SETQUOTA (RFC 9208 4), ID (RFC 2971 3.1), COMPRESS (RFC 4978 3).
#include "parse/imap/command_families.h"

namespace bulwark::parse::imap {
namespace {

constexpr std::size_t kMaxIdPairs = 30;         // RFC 2971 3.3
constexpr std::size_t kMaxIdFieldBytes = 30;    // RFC 2971 3.3
constexpr std::size_t kMaxIdValueBytes = 1024;  // RFC 2971 3.3

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return out;
}

}  // namespace

ArgsResult parse_no_args(Lexer& lexer, CommandName) {
  BULWARK_IMAP_TRY(lexer.expect_end());
  return CommandArgs{};
}

ArgsResult parse_authenticate(Lexer& lexer, CommandName) {
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(mechanism, lexer.atom());
  AuthenticateArgs args;
  args.mechanism = upper(mechanism);
  if (lexer.consume(' ')) {
    if (lexer.consume('=')) {
      args.initial_response = std::string();
    } else {
      // base64 = *(4base64-char) [base64-terminal]: validated in full by parse_authenticate_response.
      BULWARK_IMAP_ASSIGN(response, lexer.atom());
      BULWARK_IMAP_ASSIGN(checked, parse_authenticate_response(response));
      if (!checked) return syntax_error("bad initial response");
      args.initial_response = std::move(*checked);
    }
  }
  BULWARK_IMAP_TRY(lexer.expect_end());
  return args;
}

ArgsResult parse_login(Lexer& lexer, CommandName) {
  LoginArgs args;
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(userid, lexer.astring());
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(password, lexer.astring());
  BULWARK_IMAP_TRY(lexer.expect_end());
  args.userid = std::move(userid);
  args.password = std::move(password);
  return args;
}

ArgsResult parse_enable(Lexer& lexer, CommandName) {
  EnableArgs args;
  do {
    BULWARK_IMAP_TRY(lexer.expect_sp());
    BULWARK_IMAP_ASSIGN(capability, lexer.atom());
    if (args.capabilities.size() >= kMaxListItems) return fail(Errc::too_big, "too many capabilities");
    args.capabilities.push_back(upper(capability));
  } while (!lexer.at_end());
  return args;
}

ArgsResult parse_getquota(Lexer& lexer, CommandName) {
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(root, lexer.astring());
  BULWARK_IMAP_TRY(lexer.expect_end());
  return QuotaRootArgs{std::move(root)};
}

ArgsResult parse_setquota(Lexer& lexer, CommandName) {
  SetQuotaArgs args;
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(root, lexer.astring());
  args.root = std::move(root);
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_TRY(lexer.expect('('));
  if (!lexer.consume(')')) {
    for (;;) {
      BULWARK_IMAP_ASSIGN(resource, lexer.atom());
      BULWARK_IMAP_TRY(lexer.expect_sp());
      BULWARK_IMAP_ASSIGN(limit, lexer.number64());
      if (args.limits.size() >= kMaxListItems) return fail(Errc::too_big, "too many quota resources");
      args.limits.emplace_back(upper(resource), limit);
      if (lexer.consume(')')) break;
      BULWARK_IMAP_TRY(lexer.expect_sp());
    }
  }
  BULWARK_IMAP_TRY(lexer.expect_end());
  return args;
}

ArgsResult parse_id(Lexer& lexer, CommandName) {
  IdArgs args;
  BULWARK_IMAP_TRY(lexer.expect_sp());
  if (lexer.consume_keyword("NIL")) {
    BULWARK_IMAP_TRY(lexer.expect_end());
    return args;
  }
  BULWARK_IMAP_TRY(lexer.expect('('));
  args.parameters.emplace();
  if (!lexer.consume(')')) {
    for (;;) {
      BULWARK_IMAP_ASSIGN(field, lexer.string());
      BULWARK_IMAP_TRY(lexer.expect_sp());
      BULWARK_IMAP_ASSIGN(value, lexer.nstring());
      if (args.parameters->size() >= kMaxIdPairs) return fail(Errc::too_big, "ID: too many fields");
      if (field.size() > kMaxIdFieldBytes || (value && value->size() > kMaxIdValueBytes)) {
        return fail(Errc::too_big, "ID: field or value too long");
      }
      args.parameters->emplace_back(std::move(field), std::move(value));
      if (lexer.consume(')')) break;
      BULWARK_IMAP_TRY(lexer.expect_sp());
    }
  }
  BULWARK_IMAP_TRY(lexer.expect_end());
  return args;
}

ArgsResult parse_compress(Lexer& lexer, CommandName) {
  BULWARK_IMAP_TRY(lexer.expect_sp());
  BULWARK_IMAP_ASSIGN(mechanism, lexer.atom());
  BULWARK_IMAP_TRY(lexer.expect_end());
  return CompressArgs{upper(mechanism)};
}

}  // namespace bulwark::parse::imap

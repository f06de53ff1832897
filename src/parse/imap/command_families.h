// Argument parsers, one file per command family, called by parse_command() once the tag and the command name
// are read. Each starts right after the command name (at the SP before the first argument, or at the end)
// and must consume the whole rest of the command. Internal to bulwark_parse_imap.
#pragma once

#include "parse/imap/command.h"
#include "parse/imap/lexer.h"

namespace bulwark::parse::imap {

using ArgsResult = Result<CommandArgs>;

// parse_session.cpp: RFC 9051 6.1, 6.2, 6.3.1; RFC 9208 quota; RFC 2971 ID; RFC 4978 COMPRESS
ArgsResult parse_no_args(Lexer& lexer, CommandName name);
ArgsResult parse_authenticate(Lexer& lexer, CommandName name);
ArgsResult parse_login(Lexer& lexer, CommandName name);
ArgsResult parse_enable(Lexer& lexer, CommandName name);
ArgsResult parse_getquota(Lexer& lexer, CommandName name);
ArgsResult parse_setquota(Lexer& lexer, CommandName name);
ArgsResult parse_id(Lexer& lexer, CommandName name);
ArgsResult parse_compress(Lexer& lexer, CommandName name);

// parse_mailbox.cpp: RFC 9051 6.3.2 - 6.3.11 (except LIST)
ArgsResult parse_select(Lexer& lexer, CommandName name);
ArgsResult parse_create(Lexer& lexer, CommandName name);
ArgsResult parse_mailbox_only(Lexer& lexer, CommandName name);
ArgsResult parse_rename(Lexer& lexer, CommandName name);
ArgsResult parse_status(Lexer& lexer, CommandName name);
Result<std::vector<StatusItem>> parse_status_items(Lexer& lexer);

// parse_list.cpp: RFC 9051 6.3.9, RFC 5258, RFC 5819, RFC 6154; LSUB RFC 3501 6.3.9
ArgsResult parse_list(Lexer& lexer, CommandName name);
ArgsResult parse_lsub(Lexer& lexer, CommandName name);

// parse_append.cpp: RFC 9051 6.3.12, RFC 3502, RFC 3516
ArgsResult parse_append(Lexer& lexer, CommandName name);

// parse_search.cpp: RFC 9051 6.4.4, RFC 4731, RFC 5182, RFC 5256, RFC 7162
ArgsResult parse_search(Lexer& lexer, CommandName name);
ArgsResult parse_sort(Lexer& lexer, CommandName name);
ArgsResult parse_thread(Lexer& lexer, CommandName name);

// parse_fetch.cpp: RFC 9051 6.4.5, RFC 3516, RFC 7162
ArgsResult parse_fetch(Lexer& lexer, CommandName name);

// parse_store.cpp: RFC 9051 6.4.6 - 6.4.9, RFC 7162 UNCHANGEDSINCE, RFC 4315 UID EXPUNGE
ArgsResult parse_store(Lexer& lexer, CommandName name);
ArgsResult parse_copy(Lexer& lexer, CommandName name);
ArgsResult parse_uid_expunge(Lexer& lexer, CommandName name);

// Shorthand for "return the error of this Result/Status".
#define BULWARK_IMAP_TRY(expr)                               \
  do {                                                       \
    if (auto bulwark_try_ = (expr); !bulwark_try_) {         \
      return tl::unexpected(std::move(bulwark_try_.error())); \
    }                                                        \
  } while (false)

// `auto& var = *expr;` (a reference into the Result) or return its error.
#define BULWARK_IMAP_ASSIGN(var, expr)                        \
  auto var##_result_ = (expr);                                \
  if (!var##_result_) {                                       \
    return tl::unexpected(std::move(var##_result_.error()));  \
  }                                                           \
  auto& var = *var##_result_

}  // namespace bulwark::parse::imap

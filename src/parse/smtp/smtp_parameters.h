// MAIL and RCPT parameters (RFC 5321 4.1.2 Mail-parameters / Rcpt-parameters, esmtp-param) and the
// extensions whose keywords Bulwark knows: SIZE (RFC 1870), BODY (RFC 6152, RFC 3030), SMTPUTF8 (RFC 6531),
// RET/ENVID/NOTIFY/ORCPT (RFC 3461), AUTH (RFC 4954 5). Internal to bulwark_parse_smtp.
//
// `text` is what follows the path: empty, or SP esmtp-param *(SP esmtp-param). An unknown keyword is
// Errc::invalid_argument naming it; a repeated keyword or a bad value is Errc::invalid_syntax.
#pragma once

#include <string_view>

#include "base/result.h"
#include "parse/smtp/smtp_command.h"

namespace bulwark::parse::smtp::detail {

// True when `text` holds an SMTPUTF8 keyword; lets MAIL decide whether its own path may use UTF-8.
bool has_smtputf8_parameter(std::string_view text) noexcept;

[[nodiscard]] Result<MailParameters> parse_mail_parameters(std::string_view text, bool allow_utf8);
[[nodiscard]] Result<RcptParameters> parse_rcpt_parameters(std::string_view text, bool allow_utf8);

}  // namespace bulwark::parse::smtp::detail

// SASL LOGIN (draft-murchison-sasl-login-00; obsolete but still sent by many clients): the server sends the
// challenges "Username:" and "Password:" (base64), the client answers each with one base64 line.
// With SMTP AUTH (RFC 4954 4) a client line of "*" cancels the exchange; the session answers 501.
//
// Each decoded answer: non-empty, at most kMaxLoginFieldOctets, no NUL, well-formed UTF-8.
// Errors: Errc::invalid_syntax (bad base64, NUL, UTF-8, empty) or Errc::too_big; details never echo the value.
// Contract: pure, never throws on input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::parse::sasl {

inline constexpr std::size_t kMaxLoginFieldOctets = 255;

// The base64 challenges a server sends (base64 of "Username:" and "Password:").
inline constexpr std::string_view kLoginUsernameChallenge = "VXNlcm5hbWU6";
inline constexpr std::string_view kLoginPasswordChallenge = "UGFzc3dvcmQ6";

// RFC 4954 4: the client cancels an exchange with a line of "*".
constexpr bool is_cancel(std::string_view line) noexcept { return line == "*"; }

// One client line (base64, without CRLF) decoded into the user name or the password.
[[nodiscard]] Result<std::string> parse_login_username(std::string_view line);
[[nodiscard]] Result<std::string> parse_login_password(std::string_view line);

}  // namespace bulwark::parse::sasl

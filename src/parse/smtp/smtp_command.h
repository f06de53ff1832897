// One SMTP command line as a server receives it (RFC 5321 4.1.1, 4.1.2), without its CRLF, with the
// service extensions a Bulwark server offers: SIZE (RFC 1870), 8BITMIME (RFC 6152), CHUNKING/BINARYMIME
// (RFC 3030), SMTPUTF8 (RFC 6531), DSN (RFC 3461), AUTH (RFC 4954).
//
// Contract: pure, bounded by CommandLimits, never throws or asserts on input. Verbs, "FROM:"/"TO:" and
// parameter keywords/values are case-insensitive (RFC 5321 2.4). One space after "FROM:"/"TO:" is tolerated
// because real clients send it; otherwise single SPs separate the elements exactly as the grammar says.
//
// Errors (detail is written for the client; the session maps codes in its reply table):
//   Errc::too_big           the line exceeds max_line (max_auth_line for AUTH)    (500 5.5.6, RFC 5321 4.5.3.1.4)
//   Errc::invalid_syntax    unknown verb, bad arguments, duplicate parameters, NUL/control bytes, bad UTF-8
//                           (500 5.5.2 when parse_verb() also fails, else 501 5.5.4)
//   Errc::invalid_argument  an unknown MAIL/RCPT parameter; the detail names it   (555 5.5.4, RFC 5321 4.1.1.11)
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "base/result.h"
#include "parse/smtp/smtp_address.h"

namespace bulwark::parse::smtp {

enum class Verb { helo, ehlo, mail, rcpt, data, bdat, rset, noop, quit, help, vrfy, expn, starttls, auth };

// The verb in upper case, as it appears on the wire.
std::string_view verb_name(Verb verb) noexcept;

// The verb at the front of a line, or nullopt when it is not one we know (the reply is then 500, not 501).
[[nodiscard]] std::optional<Verb> parse_verb(std::string_view line) noexcept;

struct CommandLimits {
  // RFC 5321 4.5.3.1.4: 512 octets for the command line, plus the allowance for extension parameters
  // (RFC 1869 and successors let each extension add to it). Excludes the CRLF.
  std::size_t max_line = 512 + 512;
  // RFC 4954 4: an AUTH line with an initial response may be up to 12288 octets (excluding the CRLF here).
  std::size_t max_auth_line = 12288;
};

struct CommandContext {
  // The current transaction's MAIL FROM carried SMTPUTF8 (RFC 6531 3.4): RCPT TO may use UTF-8 addresses.
  bool smtputf8 = false;
};

// RFC 6152 / RFC 3030 BODY= values.
enum class Body { seven_bit, eight_bit_mime, binary_mime };
// RFC 3461 4.3 RET= values.
enum class Ret { full, headers };

// RFC 3461 4.1 NOTIFY=: either never, or any of success/failure/delay.
struct Notify {
  bool never = false;
  bool success = false;
  bool failure = false;
  bool delay = false;
  friend bool operator==(const Notify&, const Notify&) = default;
};

// RFC 3461 4.2 ORCPT=addr-type;xtext, the xtext decoded.
struct OriginalRecipient {
  std::string address_type;  // e.g. "rfc822", as sent
  std::string address;
  friend bool operator==(const OriginalRecipient&, const OriginalRecipient&) = default;
};

struct MailParameters {
  std::optional<std::uint64_t> size;  // RFC 1870 SIZE=
  std::optional<Body> body;           // BODY=
  bool smtputf8 = false;              // RFC 6531 SMTPUTF8
  std::optional<Ret> ret;             // RFC 3461 4.3 RET=
  std::optional<std::string> envid;   // RFC 3461 4.4 ENVID=, xtext decoded (at most 100 characters)
  std::optional<std::string> auth;    // RFC 4954 5 AUTH=, xtext decoded ("<>" when the client sent "<>")
  bool requiretls = false;            // RFC 8689 4.1 REQUIRETLS
};

struct RcptParameters {
  std::optional<Notify> notify;             // RFC 3461 4.1
  std::optional<OriginalRecipient> orcpt;   // RFC 3461 4.2
};

// EHLO / HELO: Domain or address-literal as sent (RFC 5321 4.1.1.1).
struct Hello {
  std::string domain;
};

// MAIL FROM:<reverse-path> [SP Mail-parameters] (RFC 5321 4.1.1.2).
struct MailFrom {
  ReversePath reverse_path;
  MailParameters parameters;
};

// RCPT TO:<forward-path> [SP Rcpt-parameters] (RFC 5321 4.1.1.3); `<Postmaster>` gives an empty domain.
struct RcptTo {
  Mailbox forward_path;
  RcptParameters parameters;
};

// BDAT chunk-size [SP "LAST"] (RFC 3030 2).
struct Bdat {
  std::uint64_t chunk_size = 0;
  bool is_last = false;
};

// AUTH mechanism [SP initial-response] (RFC 4954 4). The mechanism is upper-cased (RFC 4422 3.1 names are
// upper case). initial_response is the base64 text as sent, not yet decoded; "=" (an empty response)
// becomes "". Decoding is the SASL layer's job (parse/sasl).
struct Auth {
  std::string mechanism;
  std::optional<std::string> initial_response;
};

// The free-form argument of VRFY, EXPN (required; RFC 5321 4.1.1.6/7) and HELP, NOOP (optional).
// smtputf8: VRFY/EXPN carried the RFC 6531 3.7.4 "SMTPUTF8" option, which has been removed from text.
struct Text {
  std::string text;
  bool smtputf8 = false;
};

struct Command {
  Verb verb = Verb::noop;
  // monostate for DATA, RSET, QUIT, STARTTLS and for HELP/NOOP without an argument.
  std::variant<std::monostate, Hello, MailFrom, RcptTo, Bdat, Auth, Text> argument;
};

[[nodiscard]] Result<Command> parse_command(std::string_view line, const CommandLimits& limits = {},
                                            const CommandContext& context = {});

}  // namespace bulwark::parse::smtp

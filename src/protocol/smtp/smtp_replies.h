// SMTP replies (RFC 5321 4.2) with enhanced status codes (RFC 2034, RFC 3463), and the one table that maps the
// domain error codes (base/result.h Errc) to them. Every reply the session sends is built here, so the wire
// texts live in one file (smtp_replies.cpp); internal error details never reach the client.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::protocol::smtp {

struct Reply {
  int code = 250;
  std::string enhanced;  // "2.0.0"; empty for the greeting and the EHLO lines
  std::string text;

  bool is_error() const noexcept { return code >= 400; }
  bool is_permanent() const noexcept { return code >= 500; }
  // "250 2.0.0 text\r\n"
  std::string wire() const;
};

// Where an error happened: the same Errc means a different reply at RCPT than at the end of the data.
enum class Stage {
  command,   // parsing a command line
  mail,      // MAIL FROM
  rcpt,      // RCPT TO
  message,   // the received message broke a rule (MessageReport::status)
  delivery,  // storing or delivering the accepted message
  auth,      // AUTH
};

// The reply for an error at `stage`. Error details are passed to the client only for the codes whose detail is
// written for clients (invalid_syntax, invalid_argument at command/message stage).
Reply reply_for(const Error& error, Stage stage);

// Fixed replies, named after what they say.
namespace replies {
Reply ok(std::string_view text = "OK");
Reply bad_sequence(std::string_view text);                 // 503 5.5.1
Reply unrecognized();                                      // 500 5.5.2
Reply line_too_long();                                     // 500 5.5.6
Reply starttls_first();                                    // 530 5.7.0 Must issue a STARTTLS command first
Reply auth_required();                                     // 530 5.7.0 Authentication required
Reply relay_denied();                                      // 550 5.7.1
Reply no_such_user();                                      // 550 5.1.1
Reply too_many_recipients();                               // 452 4.5.3
Reply no_valid_recipients();                               // 554 5.5.1
Reply message_too_big();                                   // 552 5.3.4
Reply mailbox_too_small();                                 // 552 5.2.2
Reply mailbox_full();                                      // 452 4.2.2
Reply eight_bit_not_declared();                            // 554 5.6.1
Reply sender_not_owned();                                  // 553 5.7.1 (MAIL)
Reply from_header_not_owned(std::string_view why);         // 550 5.7.1 (end of data)
Reply rate_limited();                                      // 451 4.7.1
Reply too_many_errors(std::string_view host);              // 421 4.7.0
Reply timeout(std::string_view host);                      // 421 4.4.2
Reply shutting_down(std::string_view host);                // 421 4.3.2
Reply temporary_failure();                                 // 451 4.3.0
Reply cannot_verify();                                     // 252 2.5.0
Reply auth_banned();                                       // 454 4.7.0
Reply auth_invalid();                                      // 535 5.7.8
Reply auth_cancelled();                                    // 501 5.7.0
Reply auth_mechanism_unknown();                            // 504 5.5.4
Reply auth_temporary();                                    // 454 4.7.0
Reply auth_success();                                      // 235 2.7.0
Reply tls_unavailable();                                   // 454 4.7.0
Reply bad_mail_address(std::string_view detail);           // 501 5.1.7
Reply bad_rcpt_address(std::string_view detail);           // 501 5.1.3
Reply bdat_after_failure();                                // 554 5.5.0 (the transaction already failed)
}  // namespace replies

}  // namespace bulwark::protocol::smtp

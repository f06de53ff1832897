#include "protocol/smtp/smtp_replies.h"

#include "base/log.h"

namespace bulwark::protocol::smtp {

std::string Reply::wire() const {
  std::string out = std::to_string(code);
  out += ' ';
  if (!enhanced.empty()) {
    out += enhanced;
    out += ' ';
  }
  out += text;
  out += "\r\n";
  return out;
}

namespace {
// Client-fit details from the parsers, made safe to echo (no CR/LF, bounded).
std::string echo(const Error& error, std::string_view fallback) {
  if (error.detail.empty()) return std::string(fallback);
  return log::sanitize(error.detail, 200);
}
}  // namespace

Reply reply_for(const Error& error, Stage stage) {
  switch (stage) {
    case Stage::command:
      switch (error.code) {
        case Errc::too_big: return replies::line_too_long();
        case Errc::invalid_argument: return {555, "5.5.4", echo(error, "Unsupported parameter")};
        case Errc::invalid_syntax: return {501, "5.5.4", echo(error, "Syntax error in parameters")};
        default: break;
      }
      break;
    case Stage::mail:
      switch (error.code) {
        case Errc::too_big: return replies::message_too_big();
        case Errc::permission_denied: return replies::sender_not_owned();
        case Errc::invalid_syntax:
        case Errc::invalid_argument: return replies::bad_mail_address(error.detail);
        default: break;
      }
      break;
    case Stage::rcpt:
      switch (error.code) {
        case Errc::not_found: return replies::no_such_user();
        case Errc::permission_denied: return replies::relay_denied();
        case Errc::quota_exceeded: return replies::mailbox_full();
        case Errc::too_big: return replies::mailbox_too_small();
        case Errc::invalid_syntax: return replies::bad_rcpt_address(error.detail);
        case Errc::invalid_argument: return replies::no_such_user();
        default: break;
      }
      break;
    case Stage::message:
      switch (error.code) {
        case Errc::too_big: return replies::message_too_big();
        case Errc::invalid_syntax:
        case Errc::invalid_argument: return {550, "5.6.0", echo(error, "Message content rejected")};
        case Errc::permission_denied: return replies::from_header_not_owned(error.detail);
        default: break;
      }
      break;
    case Stage::delivery:
      switch (error.code) {
        case Errc::quota_exceeded: return replies::mailbox_full();
        case Errc::too_big: return replies::mailbox_too_small();
        case Errc::not_found: return replies::no_such_user();
        default: break;
      }
      break;
    case Stage::auth:
      switch (error.code) {
        case Errc::permission_denied:
        case Errc::not_found: return replies::auth_invalid();
        case Errc::invalid_syntax:
        case Errc::too_big:
        case Errc::invalid_argument: return {501, "5.5.2", "Cannot decode AUTH response"};
        default: return replies::auth_temporary();
      }
  }
  // temporary_failure, unavailable, internal and anything unexpected: try again later, no detail.
  return replies::temporary_failure();
}

namespace replies {
Reply ok(std::string_view text) { return {250, "2.0.0", std::string(text)}; }
Reply bad_sequence(std::string_view text) { return {503, "5.5.1", std::string(text)}; }
Reply unrecognized() { return {500, "5.5.2", "Syntax error, command unrecognized"}; }
Reply line_too_long() { return {500, "5.5.6", "Line too long"}; }
Reply starttls_first() { return {530, "5.7.0", "Must issue a STARTTLS command first"}; }
Reply auth_required() { return {530, "5.7.0", "Authentication required"}; }
Reply relay_denied() { return {550, "5.7.1", "Relay access denied"}; }
Reply no_such_user() { return {550, "5.1.1", "No such user here"}; }
Reply too_many_recipients() { return {452, "4.5.3", "Too many recipients"}; }
Reply no_valid_recipients() { return {554, "5.5.1", "No valid recipients"}; }
Reply message_too_big() { return {552, "5.3.4", "Message size exceeds fixed maximum message size"}; }
Reply mailbox_too_small() { return {552, "5.2.2", "Message larger than the recipient's mailbox quota"}; }
Reply mailbox_full() { return {452, "4.2.2", "Mailbox full, try again later"}; }
Reply eight_bit_not_declared() { return {554, "5.6.1", "8-bit data requires BODY=8BITMIME or SMTPUTF8"}; }
Reply sender_not_owned() { return {553, "5.7.1", "Sender address not owned by the authenticated user"}; }
Reply from_header_not_owned(std::string_view why) {
  return {550, "5.7.1", why.empty() ? std::string("From: header address not owned by the authenticated user")
                                    : log::sanitize(why, 200)};
}
Reply rate_limited() { return {451, "4.7.1", "Rate limit exceeded, try again later"}; }
Reply too_many_errors(std::string_view host) { return {421, "4.7.0", std::string(host) + " Too many errors, closing"}; }
Reply timeout(std::string_view host) { return {421, "4.4.2", std::string(host) + " Timeout, closing"}; }
Reply shutting_down(std::string_view host) { return {421, "4.3.2", std::string(host) + " Service shutting down"}; }
Reply temporary_failure() { return {451, "4.3.0", "Temporary failure, try again later"}; }
Reply cannot_verify() {
  return {252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery"};
}
Reply auth_banned() { return {454, "4.7.0", "Too many failed authentication attempts, try again later"}; }
Reply auth_invalid() { return {535, "5.7.8", "Authentication credentials invalid"}; }
Reply auth_cancelled() { return {501, "5.7.0", "Authentication cancelled"}; }
Reply auth_mechanism_unknown() { return {504, "5.5.4", "Unrecognized authentication mechanism"}; }
Reply auth_temporary() { return {454, "4.7.0", "Temporary authentication failure"}; }
Reply auth_success() { return {235, "2.7.0", "Authentication successful"}; }
Reply tls_unavailable() { return {454, "4.7.0", "TLS not available"}; }
Reply bad_mail_address(std::string_view detail) {
  return {501, "5.1.7", detail.empty() ? std::string("Bad sender address syntax") : log::sanitize(detail, 200)};
}
Reply bad_rcpt_address(std::string_view detail) {
  return {501, "5.1.3", detail.empty() ? std::string("Bad recipient address syntax") : log::sanitize(detail, 200)};
}
Reply bdat_after_failure() { return {554, "5.5.0", "Transaction failed earlier; send RSET"}; }
}  // namespace replies

}  // namespace bulwark::protocol::smtp

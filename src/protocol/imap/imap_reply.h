// The tagged completion of an IMAP command (RFC 9051 7.1: OK / NO / BAD) and the one mapping from Bulwark's
// error codes to IMAP response codes (RFC 5530). Internal error detail is logged by the caller, never sent.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::protocol::imap {

enum class Completion { ok, no, bad };

struct Reply {
  Completion status = Completion::ok;
  std::string text;             // "[CODE] human text" or "human text"
  bool is_already_sent = false;  // the handler wrote its tagged line itself (STARTTLS, LOGOUT)

  static Reply ok(std::string text) { return {Completion::ok, std::move(text), false}; }
  static Reply no(std::string text) { return {Completion::no, std::move(text), false}; }
  static Reply bad(std::string text) { return {Completion::bad, std::move(text), false}; }
  static Reply sent() { return {Completion::ok, {}, true}; }
};

// RFC 5530 response code and text for a store or parser error. `what` names the operation for the text.
// invalid_syntax is BAD (the client sent something malformed); everything else is NO.
[[nodiscard]] Reply reply_for(const Error& error, std::string_view what);

// True when the error's detail may be shown to the client (it was written for the client).
[[nodiscard]] bool is_client_detail(const Error& error) noexcept;

// "tag OK text\r\n"
[[nodiscard]] std::string tagged_line(std::string_view tag, const Reply& reply);

}  // namespace bulwark::protocol::imap

// One SMTP session (RFC 5321) on one connection, for the three SMTP services:
//   smtp         inbound mail for local recipients (port 25); relaying only after AUTH;
//   submission   RFC 6409 on port 587: STARTTLS, then AUTH, then MAIL;
//   submissions  RFC 8314 implicit TLS (the server did the handshake before serve()).
// The session coroutine owns the connection's reader and all state; each command family is a member
// coroutine in its own file (cmd_*.cpp); every reply text comes from smtp_replies.cpp. Store and directory calls
// go through net::run_blocking so the I/O threads never block. Every read has the idle deadline
// (RFC 5321 4.5.3.2): on timeout the client gets 421 4.4.2, on shutdown 421 4.3.2.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/connection.h"
#include "parse/smtp/message_checker.h"
#include "parse/smtp/smtp_command.h"
#include "protocol/services.h"
#include "protocol/smtp/rate_limiter.h"
#include "protocol/smtp/recipient_cache.h"
#include "protocol/smtp/smtp_replies.h"

namespace bulwark::protocol::smtp {

// State shared by the sessions of one listener.
struct SessionShared {
  MessageRateLimiter rate;
  RecipientCache recipients;
  std::atomic<std::uint64_t> messages{0};
};

// At most this many 5xx replies in one session, then 421 and close (dictionary attacks, confused clients).
inline constexpr unsigned kMaxErrors = 20;
// RFC 4954 4: an AUTH command or response line may be 12288 octets.
inline constexpr std::size_t kMaxAuthLine = 12288;

// One mail transaction: MAIL FROM up to the reply after the data (or RSET).
struct Transaction {
  parse::smtp::MailFrom mail;
  std::string sender;                          // the reverse path without brackets; empty for <>
  std::vector<std::string> sender_addresses;   // what an authenticated user may send as (enforce_sender)
  std::vector<std::string> recipients;         // every accepted RCPT, as given
  std::vector<store::DeliveryTarget> local;    // one per local account
  std::vector<store::QueueRecipient> remote;   // remote recipients and alias forwards
  // BDAT (RFC 3030): the message so far, checked as it arrives.
  std::optional<parse::smtp::MessageChecker> chunks;
  std::string body;
  bool failed = false;  // a BDAT chunk was refused; later chunks are refused too until RSET or LAST
};

class SmtpSession {
 public:
  SmtpSession(std::shared_ptr<net::Connection> connection, Services& services, SessionShared& shared);
  net::awaitable<void> run();

 private:
  // --- I/O (smtp_session.cpp) ---
  net::Stream::Clock::time_point deadline() const;
  // Replies are queued, then written by flush() (on failure closing_ is set). Queueing is a plain function and
  // flush() takes no parameters on purpose: GCC 12 miscompiles some class-type temporaries (braced lists,
  // capturing lambdas) in the arguments of a co_awaited coroutine call (double free), so no co_await
  // expression in this library carries such a temporary.
  void queue_raw(std::string text);
  // Queues a reply, logs it when it is a refusal, counts 5xx replies (past kMaxErrors: 421 and closing_).
  void queue(const Reply& reply);
  net::awaitable<void> flush();
  // The next line, or nullopt when the session must end (timeout/shutdown already answered with 421).
  net::awaitable<std::optional<net::Line>> read_line(std::size_t max, std::string_view during);
  net::awaitable<void> end_on(net::IoError error, std::string_view during);
  net::awaitable<void> dispatch(net::Line line);
  Reply command_error(parse::smtp::Verb verb, std::string_view line, const Error& error) const;

  bool is_submission() const;
  bool is_tls() const { return connection_->stream.is_tls(); }
  parse::smtp::MessagePolicy message_policy() const;

  // --- commands ---
  net::awaitable<void> on_hello(parse::smtp::Verb verb, parse::smtp::Hello hello);  // cmd_hello.cpp
  net::awaitable<void> on_mail(parse::smtp::MailFrom mail);                         // cmd_mail.cpp
  net::awaitable<void> on_rcpt(parse::smtp::RcptTo rcpt);                           // cmd_rcpt.cpp
  net::awaitable<void> on_data();                                                   // cmd_data.cpp
  net::awaitable<void> on_bdat(parse::smtp::Bdat bdat);                             // cmd_bdat.cpp
  net::awaitable<void> on_starttls();                                               // cmd_starttls.cpp
  net::awaitable<void> on_auth(parse::smtp::Auth auth);                             // cmd_auth.cpp
  net::awaitable<std::optional<std::string>> read_auth_response(std::string_view challenge);
  net::awaitable<void> verify_password(std::string_view mechanism, std::string login, std::string password);
  net::awaitable<void> on_simple(parse::smtp::Command command);  // cmd_simple.cpp: RSET NOOP QUIT HELP VRFY EXPN

  // --- end of data, shared by DATA and BDAT LAST (message_acceptance.cpp) ---
  net::awaitable<void> accept_message(std::string body, parse::smtp::MessageReport report);
  std::optional<Reply> check_content(const std::string& body, const parse::smtp::MessageReport& report) const;
  std::string next_message_id();

  std::shared_ptr<net::Connection> connection_;
  Services& services_;
  SessionShared& shared_;
  std::shared_ptr<const Config> config_;  // a snapshot for the whole session
  std::optional<std::string> helo_;       // the EHLO/HELO argument once given
  bool esmtp_ = false;
  std::optional<store::Principal> principal_;
  std::optional<Transaction> transaction_;
  std::string_view current_verb_ = "-";
  std::string out_;  // replies not yet written
  unsigned errors_ = 0;
  bool closing_ = false;
};

}  // namespace bulwark::protocol::smtp

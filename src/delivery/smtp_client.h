// The client side of one outbound SMTP connection (RFC 5321): greeting, EHLO (HELO fallback), opportunistic
// STARTTLS (RFC 3207), AUTH PLAIN at a relay (RFC 4954, only inside TLS), then any number of transactions on
// the same connection (connection reuse), QUIT. MAIL and the RCPTs are pipelined when the server offers
// PIPELINING (RFC 2920); DATA waits for their replies. SIZE, BODY=8BITMIME, SMTPUTF8 and the DSN parameters
// (RFC 3461 RET, ENVID, NOTIFY, ORCPT) are passed on when the server offers them.
//
// Every command has its RFC 5321 4.5.3.2 deadline (configurable): command_timeout for the greeting, EHLO, MAIL,
// RCPT, DATA and QUIT, and data_timeout for the reply to the final dot. A missing, malformed or late reply is a
// transient failure of the whole transaction, and the connection is not used again.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "delivery/client_stream.h"
#include "delivery/tls_policy.h"
#include "delivery/dane.h"
#include "parse/smtp/smtp_reply.h"

namespace bulwark::delivery {

struct ClientSettings {
  std::string helo_name;
  std::chrono::seconds command_timeout{300};
  std::chrono::seconds data_timeout{600};
  std::shared_ptr<net::asio::ssl::context> tls;  // null: never STARTTLS
  std::string auth_user;                         // non-empty: AUTH PLAIN after STARTTLS
  std::string auth_password;
  TlsRequirement requirement;  // computed before connecting (tls_policy.h); default: opportunistic
  std::string verify_name;     // the name the certificate must match when requirement.verify (MX host, relay)
  DanePolicy dane;  // RFC 7672: TLS mandatory (encrypt, verify) and the certificate checked against TLSA (verify)
};

// Why a recipient (or a whole transaction) did not go through.
struct Failure {
  bool permanent = false;
  std::string status;      // RFC 3463 code: the server's enhanced code, or one derived from the reply class
  std::string diagnostic;  // the server's reply ("550 5.1.1 no such user") or what went wrong locally
  bool from_server = false;  // diagnostic is an SMTP reply (DSN Diagnostic-Code "smtp;") rather than local text
};

Failure failure_from_reply(const parse::smtp::Reply& reply);
Failure local_failure(bool permanent, std::string status, std::string text);

struct OutgoingRecipient {
  std::string address;
  std::string notify;  // RFC 3461 NOTIFY value, empty: none
  std::string orcpt;   // "rfc822;addr", empty: none
};

struct OutgoingMessage {
  std::string sender;  // empty: <>
  std::vector<OutgoingRecipient> recipients;
  std::string envid;
  std::string ret;
  bool eight_bit = false;
  bool smtputf8 = false;
  bool require_tls = false;  // RFC 8689: MAIL FROM gets REQUIRETLS (open() made sure the server offers it)
  const std::string* content = nullptr;  // RFC 5322 bytes with CRLF line ends (not dot-stuffed)
};

struct TransactionResult {
  std::vector<std::optional<Failure>> recipients;  // per recipient: nullopt = accepted (delivered if no message failure)
  std::optional<Failure> message;                  // MAIL, DATA or the connection failed: every accepted recipient
  bool connection_usable = true;
};

class SmtpClient {
 public:
  SmtpClient(net::tcp::socket socket, ClientSettings settings, std::string host);

  // Greeting, EHLO, STARTTLS when offered (and a TLS context was given), AUTH when configured.
  // A failure is transient unless the server answered 5xx to EHLO and HELO. When settings.dane requires TLS,
  // no STARTTLS, a refused STARTTLS or a failed handshake / DANE verification is a failure (4.7.x).
  net::awaitable<std::optional<Failure>> open();
  net::awaitable<TransactionResult> send(const OutgoingMessage& message);
  // RSET after a transaction that left the server mid-way (all recipients refused).
  net::awaitable<bool> reset();
  net::awaitable<void> quit();

  bool is_tls() const { return stream_.is_tls(); }
  std::string tls_description() const { return stream_.tls_description(); }
  bool tls_failed() const { return tls_failed_; }
  // PKIX-verified for the requirement's name, or authenticated by DANE (which then takes MTA-STS's place,
  // RFC 8461 2).
  bool tls_verified() const { return tls_verified_; }
  bool dane_verified() const { return dane_verified_; }
  // Set when the requirement is report-only (MTA-STS testing) and the certificate did not verify.
  const std::string& tls_warning() const { return tls_warning_; }
  // The DANE outcome of this connection ("DANE DANE-EE(3) SPKI(1) SHA2-256(1) ... matched at depth 0", or
  // "DANE failed: why"); empty when DANE did not apply.
  const std::string& dane_status() const { return dane_status_; }
  const parse::smtp::Extensions& extensions() const { return extensions_; }

 private:
  net::awaitable<std::optional<parse::smtp::Reply>> read_reply(std::chrono::seconds timeout);
  // `line` without CRLF; named by the caller (g++ 12: no temporaries into coroutine calls).
  net::awaitable<std::optional<parse::smtp::Reply>> command(const std::string& line, std::chrono::seconds timeout);
  net::awaitable<std::optional<Failure>> hello();
  Failure io_failure(std::string_view what) const;
  Failure dane_failure(std::string status, std::string text);

  ClientStream stream_;
  parse::smtp::ReplyReader replies_;
  ClientSettings settings_;
  std::string host_;
  parse::smtp::Extensions extensions_;
  std::string last_io_error_;
  bool tls_failed_ = false;
  bool tls_verified_ = false;
  bool dane_verified_ = false;
  std::string tls_warning_;
  std::string dane_status_;  // the DANE outcome of this connection, empty when DANE did not apply
};

// The DATA payload: dot-stuffed (RFC 5321 4.5.2), CRLF line ends, ending in CRLF "." CRLF.
std::string dot_stuff(std::string_view content);

}  // namespace bulwark::delivery

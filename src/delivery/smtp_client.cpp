#include "delivery/smtp_client.h"

#include <fmt/format.h>

#include "parse/sasl/base64.h"

namespace bulwark::delivery {

using parse::smtp::Reply;

Failure failure_from_reply(const Reply& reply) {
  Failure f;
  f.permanent = reply.is_permanent();
  f.status = reply.enhanced_code();
  if (f.status.empty()) f.status = f.permanent ? "5.0.0" : "4.0.0";
  f.diagnostic = reply.summary();
  f.from_server = true;
  return f;
}

Failure local_failure(bool permanent, std::string status, std::string text) {
  return Failure{permanent, std::move(status), std::move(text), false};
}

std::string dot_stuff(std::string_view content) {
  // Copies each run of text between line ends in one append (a message is mostly such runs; this runs for every
  // message sent). Every CR or LF alone becomes CRLF; a line starting with '.' gets another one.
  std::string out;
  out.reserve(content.size() + content.size() / 64 + 8);
  bool line_start = true;
  const std::size_t n = content.size();
  std::size_t i = 0;
  while (i < n) {
    const char c = content[i];
    if (c == '\r' || c == '\n') {
      out += "\r\n";
      i += (c == '\r' && i + 1 < n && content[i + 1] == '\n') ? 2 : 1;
      line_start = true;
      continue;
    }
    if (line_start && c == '.') out += '.';
    std::size_t end = i + 1;
    while (end < n && content[end] != '\r' && content[end] != '\n') ++end;
    out.append(content.data() + i, end - i);
    line_start = false;
    i = end;
  }
  if (!out.empty() && !line_start) out += "\r\n";
  out += ".\r\n";
  return out;
}

SmtpClient::SmtpClient(net::tcp::socket socket, ClientSettings settings, std::string host)
    : stream_(std::move(socket)),
      replies_(parse::smtp::ReplyLimits{}),
      settings_(std::move(settings)),
      host_(std::move(host)) {}

Failure SmtpClient::io_failure(std::string_view what) const {
  return local_failure(false, "4.4.2", fmt::format("{} {}: {}", what, host_, last_io_error_));
}

Failure SmtpClient::dane_failure(std::string status, std::string text) {
  dane_status_ = "DANE failed: " + text;
  return local_failure(false, std::move(status), "DANE: " + text);
}

net::awaitable<std::optional<Reply>> SmtpClient::read_reply(std::chrono::seconds timeout) {
  auto deadline = ClientStream::Clock::now() + timeout;
  for (;;) {
    auto line = co_await stream_.read_line(4096, deadline);
    if (!line) {
      last_io_error_ = line.error() == net::IoError::failed ? "no valid reply" : std::string(net::io_error_name(line.error()));
      co_return std::nullopt;
    }
    auto fed = replies_.feed(*line);
    if (!fed) {
      last_io_error_ = "malformed reply: " + fed.error().detail;
      co_return std::nullopt;
    }
    if (*fed) co_return std::move(**fed);
  }
}

net::awaitable<std::optional<Reply>> SmtpClient::command(const std::string& line, std::chrono::seconds timeout) {
  std::string wire = line + "\r\n";
  const auto deadline = ClientStream::Clock::now() + timeout;
  auto written = co_await stream_.write(wire, deadline);
  if (!written) {
    last_io_error_ = std::string(net::io_error_name(written.error()));
    co_return std::nullopt;
  }
  co_return co_await read_reply(timeout);
}

net::awaitable<std::optional<Failure>> SmtpClient::hello() {
  const std::string ehlo_line = "EHLO " + settings_.helo_name;
  auto ehlo = co_await command(ehlo_line, settings_.command_timeout);
  if (!ehlo) co_return io_failure("EHLO to");
  if (ehlo->code == 250) {
    extensions_ = parse::smtp::parse_extensions(*ehlo);
    co_return std::nullopt;
  }
  if (!ehlo->is_permanent()) co_return failure_from_reply(*ehlo);
  const std::string helo_line = "HELO " + settings_.helo_name;
  auto helo = co_await command(helo_line, settings_.command_timeout);
  if (!helo) co_return io_failure("HELO to");
  extensions_ = {};
  if (helo->code != 250) co_return failure_from_reply(*helo);
  co_return std::nullopt;
}

net::awaitable<std::optional<Failure>> SmtpClient::open() {
  auto greeting = co_await read_reply(settings_.command_timeout);
  if (!greeting) co_return io_failure("no greeting from");
  // A refused greeting concerns this host only: the next MX may take the mail, so it is never permanent.
  if (greeting->code != 220) {
    auto f = failure_from_reply(*greeting);
    f.permanent = false;
    co_return f;
  }
  if (auto f = co_await hello()) co_return f;
  const TlsRequirement& required = settings_.requirement;
  auto unmet = [&](std::string text) {
    return local_failure(required.failure_is_permanent(), required.failure_status(),
                         text + " (" + required.source + ")");
  };
  // RFC 7672 2.2: with a secure TLSA RRset TLS is mandatory; never fall back to clear text. Usable TLSA records
  // authenticate the server instead of PKIX (RFC 8461 2: DANE takes precedence over MTA-STS).
  const bool tls_mandatory = settings_.dane.requires_tls();
  const bool dane_verifies = settings_.dane.level == DaneLevel::verify;
  const bool pkix_verifies = required.verify && !dane_verifies;
  if (tls_mandatory && !(extensions_.starttls && settings_.tls)) {
    co_return dane_failure("4.7.10", host_ + " has TLSA records but offers no STARTTLS");
  }
  if (required.tls_required && (!extensions_.starttls || !settings_.tls)) co_return unmet(host_ + " offers no STARTTLS");
  if (extensions_.starttls && settings_.tls) {
    if (pkix_verifies) stream_.expect_peer(settings_.verify_name.empty() ? host_ : settings_.verify_name);
    const std::string starttls = "STARTTLS";
    auto reply = co_await command(starttls, settings_.command_timeout);
    if (!reply) co_return io_failure("STARTTLS to");
    if (reply->code != 220 && tls_mandatory) {
      co_return dane_failure("4.7.10", host_ + " has TLSA records but refused STARTTLS: " + reply->summary());
    }
    if (reply->code == 220) {
      auto context = settings_.tls;
      std::string server_name = host_;
      const auto deadline = ClientStream::Clock::now() + settings_.command_timeout;
      std::string dane_error;
      if (dane_verifies) {
        stream_.set_tls_setup([this, &dane_error](SSL* ssl) { return apply_dane(ssl, settings_.dane, dane_error); });
      }
      // Nothing the server sent before the handshake counts (RFC 3207 4.2): start_tls drops the buffer.
      auto status = co_await stream_.start_tls(std::move(context), std::move(server_name), deadline);
      stream_.set_tls_setup(nullptr);
      if (!status) {
        tls_failed_ = true;
        last_io_error_ = std::string(net::io_error_name(status.error()));
        if (!dane_error.empty()) co_return dane_failure("4.7.5", dane_error);
        if (dane_verifies) {
          std::string why = stream_.tls_handle() ? dane_verify_error(stream_.tls_handle()) : std::string();
          if (!why.empty()) {
            co_return dane_failure("4.7.5", "the certificate of " + host_ + " does not match its TLSA records (" +
                                                why + ")");
          }
        }
        if (tls_mandatory) co_return dane_failure("4.7.5", "TLS handshake with " + host_ + " failed: " + last_io_error_);
        if (required.tls_required) co_return unmet("TLS handshake with " + host_ + " failed: " + last_io_error_);
        co_return io_failure("TLS handshake with");
      }
      if (dane_verifies) {
        std::string match = dane_match(stream_.tls_handle());
        // With SSL_VERIFY_PEER a finished handshake has matched; an empty match would mean it did not.
        if (match.empty()) co_return dane_failure("4.7.5", "the certificate of " + host_ + " was not authenticated");
        dane_status_ = "DANE " + match;
        dane_verified_ = true;
        tls_verified_ = true;
      } else if (settings_.dane.level == DaneLevel::encrypt) {
        dane_status_ = "DANE: no usable TLSA record, TLS without authentication";
      }
      if (pkix_verifies) {
        auto error = stream_.verification_error();
        tls_verified_ = !error;
        if (error && required.report_only) tls_warning_ = "certificate of " + host_ + " not verified: " + *error;
        else if (error) co_return unmet("certificate of " + host_ + " not verified: " + *error);
      }
      if (auto f = co_await hello()) co_return f;
    } else if (required.tls_required) {
      co_return unmet(host_ + " refused STARTTLS: " + reply->summary());
    }
  }
  if (required.requiretls && !extensions_.requiretls) co_return unmet(host_ + " does not offer REQUIRETLS");
  if (!settings_.auth_user.empty()) {
    if (!stream_.is_tls()) co_return local_failure(false, "4.7.10", "relay " + host_ + " offers no TLS for AUTH");
    if (!extensions_.auth_plain) co_return local_failure(false, "4.7.8", "relay " + host_ + " offers no AUTH PLAIN");
    std::string token = std::string(1, '\0') + settings_.auth_user + std::string(1, '\0') + settings_.auth_password;
    const std::string auth = "AUTH PLAIN " + parse::sasl::base64_encode(token);
    auto reply = co_await command(auth, settings_.command_timeout);
    if (!reply) co_return io_failure("AUTH at");
    if (reply->code != 235) {
      auto f = failure_from_reply(*reply);
      f.permanent = false;  // a relay refusing our credentials is our configuration problem: keep the mail
      co_return f;
    }
  }
  co_return std::nullopt;
}

net::awaitable<TransactionResult> SmtpClient::send(const OutgoingMessage& m) {
  TransactionResult result;
  result.recipients.resize(m.recipients.size());
  auto fail_all = [&](Failure f) {
    result.message = std::move(f);
    result.connection_usable = false;
    return result;
  };
  if (m.eight_bit && !m.smtputf8 && !extensions_.eight_bit_mime) {
    result.message = local_failure(true, "5.6.3", "8-bit message, and " + host_ + " does not offer 8BITMIME");
    co_return result;
  }
  if (m.smtputf8 && !extensions_.smtputf8) {
    result.message = local_failure(true, "5.6.7", "internationalized addresses, and " + host_ + " does not offer SMTPUTF8");
    co_return result;
  }
  const std::size_t size = m.content ? m.content->size() : 0;
  if (extensions_.max_size && size > extensions_.max_size) {
    result.message = local_failure(true, "5.3.4", fmt::format("message size {} exceeds {}'s limit {}", size, host_,
                                                              extensions_.max_size));
    co_return result;
  }
  std::string mail = "MAIL FROM:<" + m.sender + ">";
  if (extensions_.size) mail += fmt::format(" SIZE={}", size);
  if (m.eight_bit && extensions_.eight_bit_mime) mail += " BODY=8BITMIME";
  if (m.smtputf8) mail += " SMTPUTF8";
  if (m.require_tls && extensions_.requiretls) mail += " REQUIRETLS";
  if (extensions_.dsn) {
    if (!m.ret.empty()) mail += " RET=" + m.ret;
    if (!m.envid.empty()) mail += " ENVID=" + parse::smtp::encode_xtext(m.envid);
  }
  std::vector<std::string> rcpts;
  for (const auto& r : m.recipients) {
    std::string line = "RCPT TO:<" + r.address + ">";
    if (extensions_.dsn) {
      if (!r.notify.empty()) line += " NOTIFY=" + r.notify;
      if (!r.orcpt.empty()) {
        auto semi = r.orcpt.find(';');
        if (semi != std::string::npos) {
          line += " ORCPT=" + r.orcpt.substr(0, semi + 1) + parse::smtp::encode_xtext(r.orcpt.substr(semi + 1));
        }
      }
    }
    rcpts.push_back(std::move(line));
  }

  std::optional<Reply> mail_reply;
  std::vector<std::optional<Reply>> rcpt_replies;
  if (extensions_.pipelining) {
    std::string batch = mail + "\r\n";
    for (const auto& r : rcpts) batch += r + "\r\n";
    const auto batch_deadline = ClientStream::Clock::now() + settings_.command_timeout;
    auto written = co_await stream_.write(batch, batch_deadline);
    if (!written) {
      last_io_error_ = std::string(net::io_error_name(written.error()));
      co_return fail_all(io_failure("MAIL to"));
    }
    mail_reply = co_await read_reply(settings_.command_timeout);
    if (!mail_reply) co_return fail_all(io_failure("MAIL to"));
    for (std::size_t i = 0; i < rcpts.size(); ++i) {
      auto reply = co_await read_reply(settings_.command_timeout);
      if (!reply) co_return fail_all(io_failure("RCPT to"));
      rcpt_replies.push_back(std::move(reply));
    }
  } else {
    mail_reply = co_await command(mail, settings_.command_timeout);
    if (!mail_reply) co_return fail_all(io_failure("MAIL to"));
    if (mail_reply->code == 250) {
      for (const auto& r : rcpts) {
        auto reply = co_await command(r, settings_.command_timeout);
        if (!reply) co_return fail_all(io_failure("RCPT to"));
        rcpt_replies.push_back(std::move(reply));
      }
    }
  }
  if (mail_reply->code != 250) {
    result.message = failure_from_reply(*mail_reply);
    result.connection_usable = co_await reset();
    co_return result;
  }
  bool any_accepted = false;
  for (std::size_t i = 0; i < rcpt_replies.size(); ++i) {
    if (rcpt_replies[i]->code == 250 || rcpt_replies[i]->code == 251) any_accepted = true;
    else result.recipients[i] = failure_from_reply(*rcpt_replies[i]);
  }
  if (!any_accepted) {
    result.connection_usable = co_await reset();
    co_return result;
  }
  const std::string data_line = "DATA";
  auto data = co_await command(data_line, settings_.command_timeout);
  if (!data) co_return fail_all(io_failure("DATA to"));
  if (data->code != 354) {
    result.message = failure_from_reply(*data);
    result.connection_usable = co_await reset();
    co_return result;
  }
  std::string payload = dot_stuff(m.content ? std::string_view(*m.content) : std::string_view());
  const auto data_deadline = ClientStream::Clock::now() + settings_.data_timeout;
  auto written = co_await stream_.write(payload, data_deadline);
  if (!written) {
    last_io_error_ = std::string(net::io_error_name(written.error()));
    co_return fail_all(io_failure("message data to"));
  }
  auto final_reply = co_await read_reply(settings_.data_timeout);
  // No reply to the dot: the server may have taken the message. Retrying is the safe side (RFC 5321 6.1:
  // a duplicate is better than a loss).
  if (!final_reply) co_return fail_all(io_failure("end of data at"));
  if (final_reply->code != 250) result.message = failure_from_reply(*final_reply);
  co_return result;
}

net::awaitable<bool> SmtpClient::reset() {
  const std::string rset = "RSET";
  auto reply = co_await command(rset, settings_.command_timeout);
  co_return reply && reply->code == 250;
}

net::awaitable<void> SmtpClient::quit() {
  const std::string quit_line = "QUIT";
  (void)co_await command(quit_line, std::chrono::seconds(10));
  stream_.close();
}

}  // namespace bulwark::delivery

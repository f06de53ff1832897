#include "protocol/smtp/smtp_session.h"

#include "base/log.h"
#include "parse/smtp/smtp_address.h"

namespace bulwark::protocol::smtp {

using parse::smtp::Verb;

SmtpSession::SmtpSession(std::shared_ptr<net::Connection> connection, Services& services, SessionShared& shared)
    : connection_(std::move(connection)), services_(services), shared_(shared), config_(services.config.get()) {}

bool SmtpSession::is_submission() const {
  return connection_->info.protocol == Protocol::submission || connection_->info.protocol == Protocol::submissions;
}

net::Stream::Clock::time_point SmtpSession::deadline() const {
  return connection_->deadline(config_->limits.idle_timeout);
}

parse::smtp::MessagePolicy SmtpSession::message_policy() const {
  parse::smtp::MessagePolicy policy;
  policy.bare_line_ending = config_->smtp.bare_line_ending == "normalize" ? parse::smtp::BareLineEnding::normalize
                                                                            : parse::smtp::BareLineEnding::reject;
  policy.max_line_octets = config_->limits.max_line_bytes;
  policy.max_message_octets = static_cast<std::size_t>(config_->limits.max_message_bytes);
  return policy;
}

void SmtpSession::queue_raw(std::string text) { out_ += text; }

void SmtpSession::queue(const Reply& reply) {
  if (reply.is_error()) {
    connection_->log.info("rejected {}: {} {} {}", current_verb_, reply.code, reply.enhanced, reply.text);
  }
  out_ += reply.wire();
  if (reply.is_permanent() && ++errors_ > kMaxErrors && !closing_) {
    connection_->log.warn("closing: more than {} errors", kMaxErrors);
    out_ += replies::too_many_errors(config_->hostname).wire();
    closing_ = true;
  }
}

net::awaitable<void> SmtpSession::flush() {
  if (out_.empty()) co_return;
  auto status = co_await connection_->stream.write(out_, deadline());
  out_.clear();
  if (!status) {
    connection_->log.debug("write failed: {}", net::io_error_name(status.error()));
    closing_ = true;
  }
}

net::awaitable<void> SmtpSession::end_on(net::IoError error, std::string_view during) {
  closing_ = true;
  switch (error) {
    case net::IoError::timeout:
      connection_->log.info("timeout during {}; closing", during);
      queue_raw(replies::timeout(config_->hostname).wire());
  co_await flush();
      break;
    case net::IoError::shutdown:
      connection_->log.info("server shutting down during {}", during);
      queue_raw(replies::shutting_down(config_->hostname).wire());
      co_await flush();
      break;
    case net::IoError::closed:
    case net::IoError::failed:
      if (during != "command") {
        connection_->log.info("connection lost during {}: {}; nothing delivered", during, net::io_error_name(error));
      } else {
        connection_->log.debug("connection closed by the client");
      }
      break;
  }
}

net::awaitable<std::optional<net::Line>> SmtpSession::read_line(std::size_t max, std::string_view during) {
  auto line = co_await connection_->reader.read_line(max, deadline());
  if (!line) {
    co_await end_on(line.error(), during);
    co_return std::nullopt;
  }
  co_return std::move(*line);
}

net::awaitable<void> SmtpSession::run() {
  queue_raw("220 " + config_->hostname + " ESMTP Bulwark ready\r\n");
  co_await flush();
  if (closing_) co_return;
  const std::size_t max_line = std::max(config_->limits.max_command_bytes, kMaxAuthLine);
  while (!closing_) {
    auto line = co_await read_line(max_line, "command");
    if (!line) co_return;
    co_await dispatch(std::move(*line));
  }
}

Reply SmtpSession::command_error(Verb verb, std::string_view line, const Error& error) const {
  // A bad MAIL or RCPT address gets its own codes (RFC 3463 X.1.7 / X.1.3), a bad parameter 501/555 5.5.4.
  if ((verb == Verb::mail || verb == Verb::rcpt) && error.code == Errc::invalid_syntax) {
    auto colon = line.find(':');
    std::string_view rest = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    auto extent = parse::smtp::path_extent(rest);
    parse::smtp::AddressOptions options{true};
    Status path = extent ? Status() : Status(tl::unexpected(extent.error()));
    if (extent) {
      auto text = rest.substr(0, *extent);
      if (verb == Verb::mail) {
        auto parsed = parse::smtp::parse_reverse_path(text, options);
        if (!parsed) path = tl::unexpected(parsed.error());
      } else {
        auto parsed = parse::smtp::parse_forward_path(text, options);
        if (!parsed) path = tl::unexpected(parsed.error());
      }
    }
    if (!path) {
      return verb == Verb::mail ? replies::bad_mail_address(path.error().detail)
                                : replies::bad_rcpt_address(path.error().detail);
    }
  }
  return reply_for(error, Stage::command);
}

net::awaitable<void> SmtpSession::dispatch(net::Line line) {
  current_verb_ = "command";
  if (line.too_long) { queue(replies::line_too_long()); co_return co_await flush(); }
  if (line.bare_lf) { queue({500, "5.5.2", "Command lines must end with CRLF"}); co_return co_await flush(); }
  auto verb = parse::smtp::parse_verb(line.text);
  if (!verb) { queue(replies::unrecognized()); co_return co_await flush(); }
  current_verb_ = parse::smtp::verb_name(*verb);
  if (*verb != Verb::auth && line.text.size() > config_->limits.max_command_bytes) {
    { queue(replies::line_too_long()); co_return co_await flush(); }
  }
  parse::smtp::CommandLimits limits;
  limits.max_line = *verb == Verb::auth ? std::max(config_->limits.max_command_bytes, kMaxAuthLine)
                                        : config_->limits.max_command_bytes;
  parse::smtp::CommandContext context;
  context.smtputf8 = transaction_ && transaction_->mail.parameters.smtputf8;
  auto command = parse::smtp::parse_command(line.text, limits, context);
  if (!command) { queue(command_error(*verb, line.text, command.error())); co_return co_await flush(); }

  switch (command->verb) {
    case Verb::helo:
    case Verb::ehlo:
      co_return co_await on_hello(command->verb, std::get<parse::smtp::Hello>(command->argument));
    case Verb::mail: co_return co_await on_mail(std::get<parse::smtp::MailFrom>(std::move(command->argument)));
    case Verb::rcpt: co_return co_await on_rcpt(std::get<parse::smtp::RcptTo>(std::move(command->argument)));
    case Verb::data: co_return co_await on_data();
    case Verb::bdat: co_return co_await on_bdat(std::get<parse::smtp::Bdat>(command->argument));
    case Verb::starttls: co_return co_await on_starttls();
    case Verb::auth: co_return co_await on_auth(std::get<parse::smtp::Auth>(std::move(command->argument)));
    default: co_return co_await on_simple(std::move(*command));
  }
}

}  // namespace bulwark::protocol::smtp

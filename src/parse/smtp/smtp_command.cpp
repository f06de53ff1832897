#include "parse/smtp/smtp_command.h"

#include <algorithm>
#include <array>
#include <utility>

#include "parse/smtp/smtp_grammar.h"
#include "parse/smtp/smtp_parameters.h"

namespace bulwark::parse::smtp {
namespace {

using detail::iequals;
using detail::istarts_with;

struct VerbEntry {
  std::string_view name;
  Verb verb;
};

constexpr std::array<VerbEntry, 14> kVerbs{{
    {"HELO", Verb::helo}, {"EHLO", Verb::ehlo}, {"MAIL", Verb::mail}, {"RCPT", Verb::rcpt},
    {"DATA", Verb::data}, {"BDAT", Verb::bdat}, {"RSET", Verb::rset}, {"NOOP", Verb::noop},
    {"QUIT", Verb::quit}, {"HELP", Verb::help}, {"VRFY", Verb::vrfy}, {"EXPN", Verb::expn},
    {"STARTTLS", Verb::starttls}, {"AUTH", Verb::auth},
}};

inline constexpr std::size_t kMaxMechanismOctets = 20;  // RFC 4422 3.1

tl::unexpected<Error> syntax(std::string detail) { return fail(Errc::invalid_syntax, std::move(detail)); }

bool has_8bit(std::string_view text) noexcept {
  for (char c : text) {
    if (detail::is_8bit(c)) return true;
  }
  return false;
}

// The whole line: no CTL anywhere (RFC 5321 4.1.1 commands are printable US-ASCII), UTF-8 well-formed.
Status check_line(std::string_view line, const CommandLimits& limits) {
  const bool is_auth = parse_verb(line) == Verb::auth;
  if (line.size() > (is_auth ? std::max(limits.max_line, limits.max_auth_line) : limits.max_line)) {
    return fail(Errc::too_big, "line too long");
  }
  bool eight_bit = false;
  for (char c : line) {
    if (c == '\0') return syntax("NUL character in command");
    if (detail::is_control(c)) return syntax("control character in command");
    eight_bit = eight_bit || detail::is_8bit(c);
  }
  if (eight_bit && !detail::is_valid_utf8(line)) return syntax("invalid UTF-8 in command");
  return ok();
}

Result<Hello> parse_hello(std::string_view argument, Verb verb) {
  const std::string usage = std::string("syntax: ") + std::string(verb_name(verb)) + " domain";
  if (argument.empty()) return syntax(usage);
  if (has_8bit(argument)) return syntax("8-bit characters in " + std::string(verb_name(verb)));
  if (auto domain = validate_domain(argument); !domain) return syntax(usage + " (" + domain.error().detail + ")");
  return Hello{std::string(argument)};
}

// "FROM:" / "TO:", one optional SP, the path; returns the path and what follows it.
Result<std::pair<std::string_view, std::string_view>> split_path(std::string_view argument, std::string_view prefix,
                                                                 std::string_view usage) {
  if (!istarts_with(argument, prefix)) return syntax(std::string(usage));
  argument.remove_prefix(prefix.size());
  if (!argument.empty() && argument.front() == ' ') argument.remove_prefix(1);
  auto extent = path_extent(argument);
  if (!extent) return tl::unexpected(extent.error());
  return std::pair{argument.substr(0, *extent), argument.substr(*extent)};
}

Result<MailFrom> parse_mail(std::string_view argument) {
  auto split = split_path(argument, "FROM:", "syntax: MAIL FROM:<address> [parameters]");
  if (!split) return tl::unexpected(split.error());
  const auto [path_text, rest] = *split;
  const bool utf8 = detail::has_smtputf8_parameter(rest);
  auto parameters = detail::parse_mail_parameters(rest, utf8);
  if (!parameters) return tl::unexpected(parameters.error());
  auto path = parse_reverse_path(path_text, AddressOptions{utf8});
  if (!path) return tl::unexpected(path.error());
  return MailFrom{std::move(*path), std::move(*parameters)};
}

Result<RcptTo> parse_rcpt(std::string_view argument, const CommandContext& context) {
  auto split = split_path(argument, "TO:", "syntax: RCPT TO:<address> [parameters]");
  if (!split) return tl::unexpected(split.error());
  const auto [path_text, rest] = *split;
  auto parameters = detail::parse_rcpt_parameters(rest, context.smtputf8);
  if (!parameters) return tl::unexpected(parameters.error());
  auto path = parse_forward_path(path_text, AddressOptions{context.smtputf8});
  if (!path) return tl::unexpected(path.error());
  return RcptTo{std::move(*path), std::move(*parameters)};
}

// RFC 3030 2: chunk-size = 1*DIGIT, end-marker = "LAST".
Result<Bdat> parse_bdat(std::string_view argument) {
  constexpr std::string_view usage = "syntax: BDAT size [LAST]";
  const std::size_t space = argument.find(' ');
  const std::string_view size = argument.substr(0, space);
  if (size.empty()) return syntax(std::string(usage));
  Bdat bdat;
  for (char c : size) {
    if (!detail::is_digit(c)) return syntax(std::string(usage));
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (bdat.chunk_size > (UINT64_MAX - digit) / 10) return syntax("BDAT size out of range");
    bdat.chunk_size = bdat.chunk_size * 10 + digit;
  }
  if (space != std::string_view::npos) {
    if (!iequals(argument.substr(space + 1), "LAST")) return syntax(std::string(usage));
    bdat.is_last = true;
  }
  return bdat;
}

// RFC 4954 4: "AUTH" SP sasl-mech [SP initial-response]; initial-response = base64 / "=".
Result<Auth> parse_auth(std::string_view argument) {
  constexpr std::string_view usage = "syntax: AUTH mechanism [initial-response]";
  const std::size_t space = argument.find(' ');
  const std::string_view mechanism = argument.substr(0, space);
  if (mechanism.empty() || mechanism.size() > kMaxMechanismOctets) return syntax(std::string(usage));
  for (char c : mechanism) {
    if (!detail::is_alnum(c) && c != '-' && c != '_') return syntax(std::string(usage));
  }
  Auth auth{detail::to_upper(mechanism), std::nullopt};
  if (space == std::string_view::npos) return auth;
  const std::string_view response = argument.substr(space + 1);
  if (response == "=") {
    auth.initial_response.emplace();
    return auth;
  }
  if (response.empty()) return syntax(std::string(usage));
  for (char c : response) {
    if (!detail::is_alnum(c) && c != '+' && c != '/' && c != '=') return syntax("initial response is not base64");
  }
  auth.initial_response.emplace(response);
  return auth;
}

// VRFY/EXPN: String [SP "SMTPUTF8"] (RFC 5321 4.1.1.6/7, RFC 6531 3.7.4.2).
Result<Text> parse_lookup(std::string_view argument, Verb verb, const CommandContext& context) {
  Text text;
  constexpr std::string_view option = " SMTPUTF8";
  if (argument.size() > option.size() && iequals(argument.substr(argument.size() - option.size()), option)) {
    text.smtputf8 = true;
    argument.remove_suffix(option.size());
  }
  if (argument.empty() || argument.front() == ' ' || argument.back() == ' ') {
    return syntax("syntax: " + std::string(verb_name(verb)) + " string");
  }
  if (has_8bit(argument) && !text.smtputf8 && !context.smtputf8) {
    return syntax("8-bit characters without SMTPUTF8");
  }
  text.text = std::string(argument);
  return text;
}

}  // namespace

std::string_view verb_name(Verb verb) noexcept {
  for (const VerbEntry& entry : kVerbs) {
    if (entry.verb == verb) return entry.name;
  }
  return "?";
}

std::optional<Verb> parse_verb(std::string_view line) noexcept {
  const std::string_view word = line.substr(0, line.find(' '));
  for (const VerbEntry& entry : kVerbs) {
    if (iequals(word, entry.name)) return entry.verb;
  }
  return std::nullopt;
}

Result<Command> parse_command(std::string_view line, const CommandLimits& limits, const CommandContext& context) {
  if (auto checked = check_line(line, limits); !checked) return tl::unexpected(checked.error());
  const auto verb = parse_verb(line);
  if (!verb) return syntax("unrecognized command");
  Command command{*verb, std::monostate{}};
  const std::size_t space = line.find(' ');
  const bool has_argument = space != std::string_view::npos;
  const std::string_view argument = has_argument ? line.substr(space + 1) : std::string_view{};

  switch (*verb) {
    case Verb::data:
    case Verb::rset:
    case Verb::quit:
    case Verb::starttls:
      if (has_argument) return syntax(std::string(verb_name(*verb)) + " takes no argument");
      return command;
    case Verb::noop:
    case Verb::help:
      if (has_argument) {
        if (argument.empty()) return syntax("syntax: " + std::string(verb_name(*verb)) + " [string]");
        if (has_8bit(argument) && !context.smtputf8) return syntax("8-bit characters without SMTPUTF8");
        command.argument = Text{std::string(argument), false};
      }
      return command;
    case Verb::vrfy:
    case Verb::expn: {
      auto text = parse_lookup(argument, *verb, context);
      if (!text) return tl::unexpected(text.error());
      command.argument = std::move(*text);
      return command;
    }
    case Verb::helo:
    case Verb::ehlo: {
      auto hello = parse_hello(argument, *verb);
      if (!hello) return tl::unexpected(hello.error());
      command.argument = std::move(*hello);
      return command;
    }
    case Verb::mail: {
      auto mail = parse_mail(argument);
      if (!mail) return tl::unexpected(mail.error());
      command.argument = std::move(*mail);
      return command;
    }
    case Verb::rcpt: {
      auto rcpt = parse_rcpt(argument, context);
      if (!rcpt) return tl::unexpected(rcpt.error());
      command.argument = std::move(*rcpt);
      return command;
    }
    case Verb::bdat: {
      auto bdat = parse_bdat(argument);
      if (!bdat) return tl::unexpected(bdat.error());
      command.argument = *bdat;
      return command;
    }
    case Verb::auth: {
      auto auth = parse_auth(argument);
      if (!auth) return tl::unexpected(auth.error());
      command.argument = std::move(*auth);
      return command;
    }
  }
  return syntax("unrecognized command");
}

}  // namespace bulwark::parse::smtp

#include "parse/smtp/smtp_parameters.h"

#include <string>
#include <vector>

#include "parse/smtp/smtp_grammar.h"

namespace bulwark::parse::smtp::detail {
namespace {

inline constexpr std::size_t kMaxEnvidOctets = 100;  // RFC 3461 4.4
inline constexpr std::size_t kMaxOrcptOctets = 500;  // RFC 3461 4.2
inline constexpr std::size_t kMaxSizeDigits = 20;    // RFC 1870 size-value

struct Parameter {
  std::string_view keyword;
  std::optional<std::string_view> value;
};

// esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
bool is_keyword(std::string_view text) noexcept {
  if (text.empty() || !is_alnum(text.front())) return false;
  for (char c : text) {
    if (!is_alnum(c) && c != '-') return false;
  }
  return true;
}

// esmtp-value = 1*(%d33-60 / %d62-126), plus UTF8-non-ascii under SMTPUTF8 (RFC 6531 3.3).
bool is_value(std::string_view text, bool allow_utf8) noexcept {
  if (text.empty()) return false;
  for (char c : text) {
    const bool ascii = c >= '!' && c <= '~' && c != '=';
    if (!ascii && !(allow_utf8 && is_8bit(c))) return false;
  }
  return true;
}

Result<std::vector<Parameter>> split_parameters(std::string_view text, bool allow_utf8) {
  std::vector<Parameter> out;
  while (!text.empty()) {
    if (text.front() != ' ') return fail(Errc::invalid_syntax, "parameters must be separated by one space");
    text.remove_prefix(1);
    const std::size_t space = text.find(' ');
    const std::string_view item = text.substr(0, space);
    text.remove_prefix(item.size());
    Parameter parameter;
    const std::size_t equals = item.find('=');
    parameter.keyword = item.substr(0, equals);
    if (!is_keyword(parameter.keyword)) return fail(Errc::invalid_syntax, "malformed parameter keyword");
    if (equals != std::string_view::npos) {
      parameter.value = item.substr(equals + 1);
      if (!is_value(*parameter.value, allow_utf8)) {
        return fail(Errc::invalid_syntax, "malformed value for parameter " + to_upper(parameter.keyword));
      }
    }
    for (const Parameter& earlier : out) {
      if (iequals(earlier.keyword, parameter.keyword)) {
        return fail(Errc::invalid_syntax, "duplicate parameter " + to_upper(parameter.keyword));
      }
    }
    out.push_back(parameter);
  }
  return out;
}

tl::unexpected<Error> unknown(const Parameter& parameter) {
  return fail(Errc::invalid_argument, "unrecognized parameter " + to_upper(parameter.keyword));
}

tl::unexpected<Error> bad_value(const Parameter& parameter) {
  return fail(Errc::invalid_syntax, "invalid value for parameter " + to_upper(parameter.keyword));
}

Status require_value(const Parameter& parameter) {
  if (!parameter.value) return fail(Errc::invalid_syntax, "parameter " + to_upper(parameter.keyword) + " needs a value");
  return ok();
}

Result<std::uint64_t> parse_size(std::string_view text) {
  if (text.empty() || text.size() > kMaxSizeDigits) return fail(Errc::invalid_syntax, "bad size");
  std::uint64_t value = 0;
  for (char c : text) {
    if (!is_digit(c)) return fail(Errc::invalid_syntax, "bad size");
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return fail(Errc::invalid_syntax, "size out of range");
    value = value * 10 + digit;
  }
  return value;
}

Result<Notify> parse_notify(std::string_view text) {
  Notify notify;
  if (iequals(text, "NEVER")) {
    notify.never = true;
    return notify;
  }
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view element = text.substr(0, comma);
    bool* flag = nullptr;
    if (iequals(element, "SUCCESS")) {
      flag = &notify.success;
    } else if (iequals(element, "FAILURE")) {
      flag = &notify.failure;
    } else if (iequals(element, "DELAY")) {
      flag = &notify.delay;
    } else {
      return fail(Errc::invalid_syntax, "NOTIFY takes NEVER or SUCCESS,FAILURE,DELAY");
    }
    if (*flag) return fail(Errc::invalid_syntax, "NOTIFY lists a value twice");
    *flag = true;
    if (comma == std::string_view::npos) return notify;
    text.remove_prefix(comma + 1);
  }
}

Result<OriginalRecipient> parse_orcpt(std::string_view text, bool allow_utf8) {
  if (text.size() > kMaxOrcptOctets) return fail(Errc::invalid_syntax, "ORCPT too long");
  const std::size_t semicolon = text.find(';');
  if (semicolon == std::string_view::npos) return fail(Errc::invalid_syntax, "ORCPT needs addr-type;address");
  const std::string_view type = text.substr(0, semicolon);
  // addr-type = atom (RFC 3461 4.2)
  if (type.empty()) return fail(Errc::invalid_syntax, "ORCPT needs an address type");
  for (char c : type) {
    if (!is_atext(c)) return fail(Errc::invalid_syntax, "malformed ORCPT address type");
  }
  auto address = decode_xtext(text.substr(semicolon + 1), allow_utf8);
  if (!address) return tl::unexpected(address.error());
  if (address->empty()) return fail(Errc::invalid_syntax, "ORCPT needs an address");
  return OriginalRecipient{std::string(type), std::move(*address)};
}

}  // namespace

bool has_smtputf8_parameter(std::string_view text) noexcept {
  while (!text.empty()) {
    text.remove_prefix(text.front() == ' ' ? 1 : 0);
    const std::size_t space = text.find(' ');
    if (iequals(text.substr(0, space), "SMTPUTF8")) return true;
    if (space == std::string_view::npos) return false;
    text.remove_prefix(space);
  }
  return false;
}

Result<MailParameters> parse_mail_parameters(std::string_view text, bool allow_utf8) {
  auto parameters = split_parameters(text, allow_utf8);
  if (!parameters) return tl::unexpected(parameters.error());
  MailParameters out;
  for (const Parameter& parameter : *parameters) {
    const std::string_view keyword = parameter.keyword;
    if (iequals(keyword, "SMTPUTF8")) {
      if (parameter.value) return bad_value(parameter);
      out.smtputf8 = true;
      continue;
    }
    if (iequals(keyword, "REQUIRETLS")) {
      if (parameter.value) return bad_value(parameter);
      out.requiretls = true;
      continue;
    }
    if (!iequals(keyword, "SIZE") && !iequals(keyword, "BODY") && !iequals(keyword, "RET") &&
        !iequals(keyword, "ENVID") && !iequals(keyword, "AUTH")) {
      return unknown(parameter);
    }
    if (auto has_value = require_value(parameter); !has_value) return tl::unexpected(has_value.error());
    const std::string_view value = *parameter.value;
    if (iequals(keyword, "SIZE")) {
      auto size = parse_size(value);
      if (!size) return bad_value(parameter);
      out.size = *size;
    } else if (iequals(keyword, "BODY")) {
      if (iequals(value, "7BIT")) {
        out.body = Body::seven_bit;
      } else if (iequals(value, "8BITMIME")) {
        out.body = Body::eight_bit_mime;
      } else if (iequals(value, "BINARYMIME")) {
        out.body = Body::binary_mime;
      } else {
        return bad_value(parameter);
      }
    } else if (iequals(keyword, "RET")) {
      if (iequals(value, "FULL")) {
        out.ret = Ret::full;
      } else if (iequals(value, "HDRS")) {
        out.ret = Ret::headers;
      } else {
        return bad_value(parameter);
      }
    } else {
      auto decoded = decode_xtext(value, allow_utf8);
      if (!decoded) return bad_value(parameter);
      if (iequals(keyword, "ENVID")) {
        if (decoded->size() > kMaxEnvidOctets) return bad_value(parameter);
        out.envid = std::move(*decoded);
      } else {
        out.auth = std::move(*decoded);
      }
    }
  }
  return out;
}

Result<RcptParameters> parse_rcpt_parameters(std::string_view text, bool allow_utf8) {
  auto parameters = split_parameters(text, allow_utf8);
  if (!parameters) return tl::unexpected(parameters.error());
  RcptParameters out;
  for (const Parameter& parameter : *parameters) {
    const bool is_notify = iequals(parameter.keyword, "NOTIFY");
    if (!is_notify && !iequals(parameter.keyword, "ORCPT")) return unknown(parameter);
    if (auto has_value = require_value(parameter); !has_value) return tl::unexpected(has_value.error());
    if (is_notify) {
      auto notify = parse_notify(*parameter.value);
      if (!notify) return tl::unexpected(notify.error());
      out.notify = *notify;
    } else {
      auto orcpt = parse_orcpt(*parameter.value, allow_utf8);
      if (!orcpt) return tl::unexpected(orcpt.error());
      out.orcpt = std::move(*orcpt);
    }
  }
  return out;
}

}  // namespace bulwark::parse::smtp::detail

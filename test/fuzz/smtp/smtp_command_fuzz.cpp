// libFuzzer target: one SMTP command line (parse/smtp/smtp_command.h) and the address parsers under it.
// Checks beyond "no crash": a parsed path re-serialized parses again to the same mailbox, decoded
// parameters carry no control characters, and the verb matches parse_verb().
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "parse/smtp/smtp_command.h"

namespace {

using namespace bulwark::parse::smtp;

void check(bool condition) {
  if (!condition) std::abort();
}

bool has_control(std::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

void check_mailbox(const Mailbox& mailbox, bool utf8, bool forward) {
  check(mailbox.local_part.size() <= kMaxLocalPartOctets);
  check(mailbox.domain.size() <= kMaxDomainOctets);
  check(!has_control(mailbox.local_part) && !has_control(mailbox.domain));
  const std::string path = "<" + mailbox.to_string() + ">";
  // A mailbox may be valid alone (64 + 255 octets) yet too long for a path (RFC 5321 4.5.3.1.3: 256 octets);
  // only a path within that limit must parse again.
  if (path.size() > kMaxPathOctets) return;
  if (forward) {
    auto again = parse_forward_path(path, AddressOptions{utf8});
    check(again.has_value() && *again == mailbox);
  } else {
    auto again = parse_reverse_path(path, AddressOptions{utf8});
    check(again.has_value() && again->mailbox == mailbox);
  }
}

void run(std::string_view line, bool smtputf8) {
  auto command = parse_command(line, CommandLimits{}, CommandContext{smtputf8});
  if (!command) {
    check(!command.error().detail.empty());
    return;
  }
  check(line.size() <= (command->verb == Verb::auth ? CommandLimits{}.max_auth_line : CommandLimits{}.max_line));
  check(parse_verb(line) == command->verb);
  if (const auto* mail = std::get_if<MailFrom>(&command->argument)) {
    if (mail->reverse_path.mailbox) check_mailbox(*mail->reverse_path.mailbox, mail->parameters.smtputf8, false);
    if (mail->parameters.envid) check(!has_control(*mail->parameters.envid) && mail->parameters.envid->size() <= 100);
    if (mail->parameters.auth) check(!has_control(*mail->parameters.auth));
  } else if (const auto* rcpt = std::get_if<RcptTo>(&command->argument)) {
    check_mailbox(rcpt->forward_path, smtputf8, true);
    if (rcpt->parameters.notify && rcpt->parameters.notify->never) {
      check(!rcpt->parameters.notify->success && !rcpt->parameters.notify->failure && !rcpt->parameters.notify->delay);
    }
    if (rcpt->parameters.orcpt) check(!has_control(rcpt->parameters.orcpt->address));
  } else if (const auto* hello = std::get_if<Hello>(&command->argument)) {
    check(validate_domain(hello->domain).has_value());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  run(input, false);
  run(input, true);
  // The address layer on its own, both with and without UTF-8.
  for (bool utf8 : {false, true}) {
    if (auto mailbox = parse_mailbox(input, AddressOptions{utf8})) check_mailbox(*mailbox, utf8, true);
    (void)parse_reverse_path(input, AddressOptions{utf8});
    (void)parse_forward_path(input, AddressOptions{utf8});
    (void)validate_domain(input, AddressOptions{utf8});
  }
  if (auto extent = path_extent(input)) check(*extent <= input.size() && *extent <= kMaxPathOctets);
  return 0;
}

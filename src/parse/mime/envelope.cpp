#include "parse/mime/envelope.h"

namespace bulwark::parse::mime {
namespace {

std::optional<std::string> nonempty_value(const Header& header, std::string_view name) {
  auto value = header.unfolded(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

AddressList address_field(const Header& header, std::string_view name) {
  const auto value = header.unfolded(name);
  if (!value) return {};
  return parse_address_list(*value);
}

}  // namespace

Envelope build_envelope(const Header& header) {
  Envelope envelope;
  envelope.date = nonempty_value(header, "Date");
  envelope.subject = nonempty_value(header, "Subject");
  envelope.from = address_field(header, "From");
  envelope.sender = address_field(header, "Sender");
  envelope.reply_to = address_field(header, "Reply-To");
  envelope.to = address_field(header, "To");
  envelope.cc = address_field(header, "Cc");
  envelope.bcc = address_field(header, "Bcc");
  envelope.in_reply_to = nonempty_value(header, "In-Reply-To");
  envelope.message_id = nonempty_value(header, "Message-ID");
  if (envelope.sender.entries.empty()) envelope.sender = envelope.from;
  if (envelope.reply_to.entries.empty()) envelope.reply_to = envelope.from;
  return envelope;
}

}  // namespace bulwark::parse::mime

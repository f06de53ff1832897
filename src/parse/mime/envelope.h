// The IMAP ENVELOPE of a message (RFC 9051 7.5.2, RFC 3501 7.4.2), built from its RFC 5322 header.
//
// Contract: strings are the unfolded, trimmed raw header values (encoded-words are not decoded, as IMAP
// requires); an absent or empty field is nullopt (NIL) or an empty list (NIL). When Sender or Reply-To is
// absent or empty it takes the value of From (RFC 9051 7.5.2). The first occurrence of each field counts.
#pragma once

#include <optional>
#include <string>

#include "parse/mime/address_list.h"
#include "parse/mime/header.h"

namespace bulwark::parse::mime {

struct Envelope {
  std::optional<std::string> date;
  std::optional<std::string> subject;
  AddressList from;
  AddressList sender;
  AddressList reply_to;
  AddressList to;
  AddressList cc;
  AddressList bcc;
  std::optional<std::string> in_reply_to;
  std::optional<std::string> message_id;
  bool operator==(const Envelope&) const = default;
};

[[nodiscard]] Envelope build_envelope(const Header& header);

}  // namespace bulwark::parse::mime

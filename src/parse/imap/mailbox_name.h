// Mailbox names on the wire (RFC 9051 5.1, 5.1.3; RFC 3501 5.1.3; RFC 6855 UTF8=ACCEPT).
//
// Contract: names are sent as modified UTF-7 (7-bit, "&" starts a base64 run of UTF-16, "&-" is "&") unless
// the client enabled UTF8=ACCEPT (or IMAP4rev2), then as UTF-8. "INBOX" is case-insensitive: any spelling is
// normalized to "INBOX" (also as the first hierarchy level, "inbox/x" with the given delimiter).
// encode/decode are strict: they refuse what another implementation could read differently (non-shortest
// base64, unpaired surrogates, printable ASCII inside a base64 run, invalid UTF-8).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::parse::imap {

[[nodiscard]] Result<std::string> decode_modified_utf7(std::string_view text);
[[nodiscard]] Result<std::string> encode_modified_utf7(std::string_view utf8);

[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

// "inbox" -> "INBOX"; "Inbox/Sent" -> "INBOX/Sent" when delimiter is '/'. Other names unchanged.
[[nodiscard]] std::string normalize_inbox(std::string name, char delimiter = '/');

// The UTF-8 form of a name received on the wire: decoded from modified UTF-7, or validated as UTF-8 when
// is_utf8_enabled (then "&" is an ordinary character, RFC 6855 3).
[[nodiscard]] Result<std::string> mailbox_to_utf8(std::string_view wire_name, bool is_utf8_enabled);

}  // namespace bulwark::parse::imap

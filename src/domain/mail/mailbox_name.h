// Mailbox names as the store keeps them: UTF-8, hierarchy delimiter '/', "INBOX" in any case meaning the inbox
// (RFC 9051 5.1). Protocols convert from their wire form (modified UTF-7 for IMAP4rev1) before calling the store.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::domain::mail {

inline constexpr char kHierarchyDelimiter = '/';
inline constexpr std::size_t kMaxMailboxNameBytes = 512;
inline constexpr std::size_t kMaxMailboxDepth = 32;

// Returns the canonical name ("INBOX" for any case of inbox, "INBOX/child" keeps the child as written) or
// invalid_argument: empty, too long, too deep, empty component, control characters, invalid UTF-8.
[[nodiscard]] Result<std::string> canonical_mailbox_name(std::string_view name);

bool is_inbox(std::string_view name);

}  // namespace bulwark::domain::mail

// LIST / LSUB mailbox patterns (RFC 9051 6.3.9): the reference and the pattern are joined, then "*" matches
// any characters and "%" any characters except the hierarchy delimiter. "INBOX" matches case-insensitively
// (RFC 9051 5.1). Pure.
#pragma once

#include <string>
#include <string_view>

namespace bulwark::protocol::imap {

// The canonical pattern for a reference and a mailbox pattern: "reference" + "pattern", unless the pattern
// starts with the delimiter (then the reference is ignored).
[[nodiscard]] std::string join_reference(std::string_view reference, std::string_view pattern, char delimiter = '/');

[[nodiscard]] bool matches_pattern(std::string_view pattern, std::string_view name, char delimiter = '/');

// True when some name below `name` (a descendant) could match the pattern: a "%" pattern like "a/%" must
// still list "a" with \HasChildren, and RECURSIVEMATCH needs the parents of matching children.
[[nodiscard]] bool is_ancestor(std::string_view name, std::string_view descendant, char delimiter = '/');

}  // namespace bulwark::protocol::imap

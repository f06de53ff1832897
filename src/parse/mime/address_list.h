// RFC 5322 3.4 address-list parsing (mailbox, name-addr, group) with the obsolete forms of 4.4 (obs-route,
// obs-local-part, obs-phrase), used for the IMAP ENVELOPE address lists (RFC 9051 7.5.2) and the SMTP
// From: check.
//
// Contract: input is an unfolded header value. Never fails and never throws; like real MUAs it accepts what it
// can and sets has_errors for anything it had to guess (missing '@' or domain, unterminated quotes or angle
// brackets, stray specials). Comments are dropped, except that "addr-spec (Comment)" without a display name
// uses the comment as the name. Display names keep RFC 2047 encoded-words undecoded, as IMAP requires.
// At most max_addresses entries are returned (is_truncated beyond).
// Groups are flattened as in IMAP: a group_start entry carrying the group name, its mailboxes, a group_end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::parse::mime {

enum class AddressKind : std::uint8_t { mailbox, group_start, group_end };

struct Address {
  AddressKind kind = AddressKind::mailbox;
  std::optional<std::string> display_name;  // phrase with quotes removed; nullopt when absent
  std::optional<std::string> route;         // obs-route "@a.example,@b.example", nullopt when absent
  std::string local_part;                   // unquoted; for group_start the group name
  std::string domain;                       // empty when missing; domain-literals keep their brackets
  bool operator==(const Address&) const = default;
};

struct AddressList {
  std::vector<Address> entries;
  bool has_errors = false;
  bool is_truncated = false;
  bool operator==(const AddressList&) const = default;
};

inline constexpr std::size_t kMaxAddresses = 1000;

[[nodiscard]] AddressList parse_address_list(std::string_view value, std::size_t max_addresses = kMaxAddresses);

// The mailbox entries only (no group markers).
[[nodiscard]] std::vector<const Address*> mailboxes(const AddressList& list);

// "local@domain", quoting the local part when it is not a dot-atom (RFC 5322 3.4.1).
[[nodiscard]] std::string addr_spec(const Address& address);

}  // namespace bulwark::parse::mime

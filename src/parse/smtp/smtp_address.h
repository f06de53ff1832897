// SMTP envelope addresses: RFC 5321 4.1.2 Path / Mailbox / Domain / address-literal (4.1.3), with the
// RFC 6531 3.3 UTF-8 extension when the caller says SMTPUTF8 is in force.
//
// Contract: pure, bounded, never throws on bad input. Limits (RFC 5321 4.5.3.1): local part 64 octets,
// domain 255 octets (labels 63), path 256 octets including "<" ">" and any source route.
// Errors are Errc::invalid_syntax (or Errc::too_big for a limit) with a detail written for the client.
// Source routes (`<@a,@b:user@c>`) are validated and then dropped (RFC 5321 4.1.2, Appendix C).
// Address literals: IPv4 `[1.2.3.4]` and `[IPv6:...]` (RFC 5321 4.1.3); other tags are refused.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::parse::smtp {

inline constexpr std::size_t kMaxLocalPartOctets = 64;
inline constexpr std::size_t kMaxDomainOctets = 255;
inline constexpr std::size_t kMaxLabelOctets = 63;
inline constexpr std::size_t kMaxPathOctets = 256;

struct AddressOptions {
  // RFC 6531: UTF-8 is allowed in local parts and domains only when SMTPUTF8 was given.
  bool allow_utf8 = false;
};

// RFC 5321 4.1.2 Mailbox = Local-part "@" ( Domain / address-literal ).
struct Mailbox {
  // As given on the wire: a Dot-string, or a Quoted-string with its quotes and backslashes.
  std::string local_part;
  // A dot-atom Domain, or an address literal with its brackets ("[192.0.2.1]", "[IPv6:2001:db8::1]").
  // Empty only for the special forward path `<Postmaster>` (RFC 5321 4.1.1.3).
  std::string domain;

  bool is_quoted() const noexcept { return !local_part.empty() && local_part.front() == '"'; }
  bool is_address_literal() const noexcept { return !domain.empty() && domain.front() == '['; }
  // `<Postmaster>` without a domain (case-insensitive).
  bool is_bare_postmaster() const noexcept;
  // The local part with a Quoted-string's quotes and quoted-pairs removed (RFC 5321 4.1.2).
  std::string unquoted_local_part() const;
  // "local@domain" (or just the local part for a bare Postmaster).
  std::string to_string() const;

  friend bool operator==(const Mailbox&, const Mailbox&) = default;
};

// RFC 5321 4.1.2 Reverse-path = Path / "<>". No mailbox means the null reverse path.
struct ReversePath {
  std::optional<Mailbox> mailbox;
  bool is_null() const noexcept { return !mailbox.has_value(); }
  friend bool operator==(const ReversePath&, const ReversePath&) = default;
};

// Mailbox without angle brackets, e.g. "user@example.org".
[[nodiscard]] Result<Mailbox> parse_mailbox(std::string_view text, AddressOptions options = {});

// "<>" or "<[A-d-l:]mailbox>".
[[nodiscard]] Result<ReversePath> parse_reverse_path(std::string_view text, AddressOptions options = {});

// "<[A-d-l:]mailbox>" or "<Postmaster>" (case-insensitive, no domain).
[[nodiscard]] Result<Mailbox> parse_forward_path(std::string_view text, AddressOptions options = {});

// The length of the Path at the front of `text` (from "<" through the matching ">", quoted-strings honoured),
// so a command parser can split the path from the parameters that follow. Error when there is no "<",
// no closing ">", or the path is longer than kMaxPathOctets.
[[nodiscard]] Result<std::size_t> path_extent(std::string_view text);

// RFC 5321 4.1.2 Domain (dot-atom of LDH labels; U-labels with allow_utf8) or an address literal (4.1.3),
// as EHLO/HELO take it.
[[nodiscard]] Status validate_domain(std::string_view text, AddressOptions options = {});

}  // namespace bulwark::parse::smtp

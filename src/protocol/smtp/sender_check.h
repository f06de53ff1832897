// Submission sender enforcement (RFC 6409 8: an MSA may check that the sender is the authenticated user):
// the MAIL FROM address and every From: header address must be one of the addresses the directory lets the
// principal send as (DirectoryStore::sender_addresses), compared case-insensitively, domains in A-label form.
//
// header_from_addresses() reads the From: field (RFC 5322 3.6.2) of the first max_scan octets with the shared
// header and address-list parsers (parse/mime) and returns its addr-specs. A missing or second From: field,
// group syntax and anything the address parser had to guess are refused. Pure; never throws on input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bulwark::protocol::smtp {

inline constexpr std::size_t kMaxHeaderScanBytes = 256 * 1024;

// Lower-cased ASCII, domain converted to its A-label when it is an IDN; the input unchanged if unparseable.
std::string comparable_address(std::string_view address);

// True when `address` is one of `allowed` (case-insensitive).
bool is_allowed_sender(std::string_view address, const std::vector<std::string>& allowed);

// The addresses of the message's From: field. Errc::not_found without a From: field, Errc::invalid_syntax for
// several From: fields, a group, or a mailbox without "@". Only the first max_scan octets are looked at.
[[nodiscard]] Result<std::vector<std::string>> header_from_addresses(std::string_view message,
                                                                     std::size_t max_scan = kMaxHeaderScanBytes);

}  // namespace bulwark::protocol::smtp

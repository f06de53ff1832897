// The SSRF guard for fetches the server makes on a remote domain's say-so (the MTA-STS policy fetch): which
// kind of address a resolved IP is, so that a domain cannot point the fetch at the server's own loopback, the
// local network or other non-public space. The check is made on the address the caller then connects to
// (never re-resolved in between), so DNS rebinding cannot slip past it. Pure; unit-tested.
#pragma once

#include <string>
#include <string_view>

namespace bulwark::delivery {

enum class AddressClass {
  global,        // none of the below: may be fetched from
  loopback,      // 127/8, ::1
  private_use,   // RFC 1918 10/8, 172.16/12, 192.168/16; IPv6 ULA fc00::/7
  link_local,    // 169.254/16, fe80::/10
  unspecified,   // 0/8, ::
  multicast,     // 224/4, ff00::/8
  shared,        // RFC 6598 carrier-grade NAT 100.64/10
  reserved,      // 240/4 and broadcast, documentation/benchmark ranges, and anything unparseable
};

// `address` is an IPv4 or IPv6 literal; IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible IPv6 addresses are
// classified by their IPv4 part.
AddressClass classify_address(std::string_view address);
std::string_view address_class_name(AddressClass c);
inline bool is_global_address(std::string_view address) { return classify_address(address) == AddressClass::global; }

}  // namespace bulwark::delivery

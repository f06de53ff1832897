#include "delivery/address_class.h"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace bulwark::delivery {
namespace {

AddressClass classify_v4(std::uint32_t a) {
  auto in = [a](std::uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
  if (in(0x00000000, 8)) return AddressClass::unspecified;
  if (in(0x7f000000, 8)) return AddressClass::loopback;
  if (in(0x0a000000, 8) || in(0xac100000, 12) || in(0xc0a80000, 16)) return AddressClass::private_use;
  if (in(0xa9fe0000, 16)) return AddressClass::link_local;
  if (in(0x64400000, 10)) return AddressClass::shared;
  if (in(0xe0000000, 4)) return AddressClass::multicast;
  // 240/4 (and 255.255.255.255), IETF protocol assignments 192.0.0/24, TEST-NETs, benchmarking 198.18/15.
  if (in(0xf0000000, 4) || in(0xc0000000, 24) || in(0xc0000200, 24) || in(0xc6336400, 24) || in(0xcb007100, 24) ||
      in(0xc6120000, 15)) {
    return AddressClass::reserved;
  }
  return AddressClass::global;
}

}  // namespace

AddressClass classify_address(std::string_view address) {
  std::string text(address);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return classify_v4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return AddressClass::reserved;
  std::array<std::uint8_t, 16> b{};
  std::memcpy(b.data(), v6.s6_addr, 16);
  bool first10_zero = true;
  for (int i = 0; i < 10; ++i) first10_zero = first10_zero && b[static_cast<std::size_t>(i)] == 0;
  auto v4_tail = [&b] {
    return (std::uint32_t{b[12]} << 24) | (std::uint32_t{b[13]} << 16) | (std::uint32_t{b[14]} << 8) | b[15];
  };
  if (first10_zero && b[10] == 0xff && b[11] == 0xff) return classify_v4(v4_tail());  // ::ffff:a.b.c.d
  if (first10_zero && b[10] == 0 && b[11] == 0) {
    std::uint32_t tail = v4_tail();
    if (tail == 0) return AddressClass::unspecified;  // ::
    if (tail == 1) return AddressClass::loopback;     // ::1
    return classify_v4(tail);                         // deprecated IPv4-compatible ::a.b.c.d
  }
  if ((b[0] & 0xfe) == 0xfc) return AddressClass::private_use;              // fc00::/7
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return AddressClass::link_local;  // fe80::/10
  if (b[0] == 0xff) return AddressClass::multicast;                         // ff00::/8
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return AddressClass::reserved;  // 2001:db8::/32
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) {
    return classify_v4(v4_tail());  // 64:ff9b::/96 NAT64: judged by the IPv4 address it reaches
  }
  return AddressClass::global;
}

std::string_view address_class_name(AddressClass c) {
  switch (c) {
    case AddressClass::global: return "global";
    case AddressClass::loopback: return "loopback";
    case AddressClass::private_use: return "private";
    case AddressClass::link_local: return "link-local";
    case AddressClass::unspecified: return "unspecified";
    case AddressClass::multicast: return "multicast";
    case AddressClass::shared: return "shared (CGNAT)";
    case AddressClass::reserved: return "reserved";
  }
  return "reserved";
}

}  // namespace bulwark::delivery

#include "delivery/address_class.h"

#include <gtest/gtest.h>

namespace bulwark::delivery {
namespace {

struct Case {
  const char* address;
  AddressClass expected;
};

TEST(AddressClass, ClassifiesEveryRangeTheSsrfGuardRefuses) {
  const Case cases[] = {
      {"8.8.8.8", AddressClass::global},
      {"93.184.216.34", AddressClass::global},
      {"127.0.0.1", AddressClass::loopback},
      {"127.255.255.254", AddressClass::loopback},
      {"10.1.2.3", AddressClass::private_use},
      {"172.16.0.1", AddressClass::private_use},
      {"172.31.255.255", AddressClass::private_use},
      {"172.32.0.1", AddressClass::global},
      {"192.168.1.1", AddressClass::private_use},
      {"169.254.169.254", AddressClass::link_local},
      {"0.0.0.0", AddressClass::unspecified},
      {"224.0.0.1", AddressClass::multicast},
      {"239.255.255.250", AddressClass::multicast},
      {"100.64.0.1", AddressClass::shared},
      {"100.127.255.255", AddressClass::shared},
      {"100.128.0.1", AddressClass::global},
      {"255.255.255.255", AddressClass::reserved},
      {"192.0.2.1", AddressClass::reserved},
      {"::1", AddressClass::loopback},
      {"::", AddressClass::unspecified},
      {"::ffff:127.0.0.1", AddressClass::loopback},
      {"::ffff:10.0.0.1", AddressClass::private_use},
      {"::ffff:8.8.8.8", AddressClass::global},
      {"fc00::1", AddressClass::private_use},
      {"fd12:3456::1", AddressClass::private_use},
      {"fe80::1", AddressClass::link_local},
      {"febf::1", AddressClass::link_local},
      {"ff02::1", AddressClass::multicast},
      {"2001:db8::1", AddressClass::reserved},
      {"64:ff9b::a00:1", AddressClass::private_use},
      {"2606:4700::1111", AddressClass::global},
      {"not an address", AddressClass::reserved},
      {"", AddressClass::reserved},
      {"127.0.0.1:80", AddressClass::reserved},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(classify_address(c.address), c.expected) << c.address << " is " << address_class_name(classify_address(c.address));
  }
  EXPECT_TRUE(is_global_address("1.1.1.1"));
  EXPECT_FALSE(is_global_address("127.0.0.1"));
}

}  // namespace
}  // namespace bulwark::delivery

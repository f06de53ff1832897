#include "parse/dns/tlsa_record.h"

#include <gtest/gtest.h>

namespace bulwark::parse::dns {
namespace {

std::string rdata(std::uint8_t usage, std::uint8_t selector, std::uint8_t matching, std::size_t data_size) {
  std::string out{static_cast<char>(usage), static_cast<char>(selector), static_cast<char>(matching)};
  for (std::size_t i = 0; i < data_size; ++i) out += static_cast<char>(i);
  return out;
}

TEST(TlsaRecord, ParsesTheFourFields) {
  auto r = parse_tlsa_rdata(rdata(3, 1, 1, 32));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->usage, 3);
  EXPECT_EQ(r->selector, 1);
  EXPECT_EQ(r->matching_type, 1);
  ASSERT_EQ(r->data.size(), 32u);
  EXPECT_EQ(r->data[31], 31);
}

TEST(TlsaRecord, RefusesRdataWithoutAssociationData) {
  for (std::string_view bad : {std::string_view(), std::string_view("\x03", 1), std::string_view("\x03\x01\x01", 3)}) {
    auto r = parse_tlsa_rdata(bad);
    ASSERT_FALSE(r) << bad.size();
    EXPECT_EQ(r.error().code, Errc::invalid_syntax);
  }
}

// RFC 7672 3.1: only DANE-TA(2) and DANE-EE(3), known selectors, digests of their own length.
TEST(TlsaRecord, UsabilityForSmtp) {
  struct Case { std::uint8_t usage, selector, matching; std::size_t size; bool usable; };
  for (const auto& c : std::initializer_list<Case>{
           {3, 1, 1, 32, true},   {3, 0, 1, 32, true},  {2, 0, 1, 32, true},  {2, 1, 2, 64, true},
           {3, 1, 0, 91, true},   {0, 0, 1, 32, false}, {1, 1, 1, 32, false}, {4, 1, 1, 32, false},
           {3, 2, 1, 32, false},  {3, 1, 3, 32, false}, {3, 1, 1, 31, false}, {3, 1, 1, 33, false},
           {3, 1, 2, 32, false},  {255, 1, 1, 32, false},
       }) {
    auto r = parse_tlsa_rdata(rdata(c.usage, c.selector, c.matching, c.size));
    ASSERT_TRUE(r);
    EXPECT_EQ(is_usable_for_smtp(*r), c.usable)
        << int(c.usage) << " " << int(c.selector) << " " << int(c.matching) << " size " << c.size;
  }
}

TEST(TlsaRecord, DescribesWithMnemonicsAndAShortDigest) {
  auto r = parse_tlsa_rdata(rdata(3, 1, 1, 32));
  ASSERT_TRUE(r);
  EXPECT_EQ(describe(*r), "DANE-EE(3) SPKI(1) SHA2-256(1) 0001020304050607...");
  auto ta = parse_tlsa_rdata(rdata(2, 0, 0, 2));
  ASSERT_TRUE(ta);
  EXPECT_EQ(describe(*ta), "DANE-TA(2) Cert(0) Full(0) 0001");
  auto odd = parse_tlsa_rdata(rdata(9, 7, 5, 1));
  ASSERT_TRUE(odd);
  EXPECT_EQ(describe(*odd), "usage(9) selector(7) matching(5) 00");
}

TEST(TlsaRecord, OwnerName) {
  EXPECT_EQ(tlsa_owner(25, "mx.example.net"), "_25._tcp.mx.example.net");
  EXPECT_EQ(tlsa_owner(2525, "a.b"), "_2525._tcp.a.b");
}

}  // namespace
}  // namespace bulwark::parse::dns

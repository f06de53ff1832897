// Strict base64 (parse/sasl/base64.h), RFC 4648 4 and 10 test vectors.
#include "parse/sasl/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace bulwark::parse::sasl {
namespace {

using namespace std::string_literals;

struct VectorRow {
  std::string decoded;
  std::string encoded;
};

class Base64Vector : public ::testing::TestWithParam<VectorRow> {};

TEST_P(Base64Vector, EncodesAndDecodes) {
  EXPECT_EQ(base64_encode(GetParam().decoded), GetParam().encoded);
  auto decoded = base64_decode(GetParam().encoded);
  ASSERT_TRUE(decoded) << GetParam().encoded << ": " << decoded.error().detail;
  EXPECT_EQ(*decoded, GetParam().decoded);
}

INSTANTIATE_TEST_SUITE_P(Rfc4648, Base64Vector, ::testing::Values(
    VectorRow{"", ""},
    VectorRow{"f", "Zg=="},
    VectorRow{"fo", "Zm8="},
    VectorRow{"foo", "Zm9v"},
    VectorRow{"foob", "Zm9vYg=="},
    VectorRow{"fooba", "Zm9vYmE="},
    VectorRow{"foobar", "Zm9vYmFy"},
    VectorRow{"\0user\0pass"s, "AHVzZXIAcGFzcw=="},
    VectorRow{"Username:", "VXNlcm5hbWU6"},
    VectorRow{"Password:", "UGFzc3dvcmQ6"},
    VectorRow{"\xff\xfe\xfd\xfc", "//79/A=="},
    VectorRow{"\xfb\xef\xbe", "++++"},
    VectorRow{"\0\0\0"s, "AAAA"}));

struct BadRow {
  std::string text;
  Errc code;
};

class Base64Rejects : public ::testing::TestWithParam<BadRow> {};

TEST_P(Base64Rejects, Garbage) {
  auto decoded = base64_decode(GetParam().text);
  ASSERT_FALSE(decoded) << GetParam().text;
  EXPECT_EQ(decoded.error().code, GetParam().code);
}

INSTANTIATE_TEST_SUITE_P(Rfc4648, Base64Rejects, ::testing::Values(
    BadRow{"Zg", Errc::invalid_syntax},            // missing padding
    BadRow{"Zg=", Errc::invalid_syntax},
    BadRow{"Zm9", Errc::invalid_syntax},
    BadRow{"Z", Errc::invalid_syntax},
    BadRow{"Zh==", Errc::invalid_syntax},          // non-zero pad bits
    BadRow{"Zm9=", Errc::invalid_syntax},
    BadRow{"Zm8=Zm8=", Errc::invalid_syntax},      // padding in the middle
    BadRow{"Zg==Zg==", Errc::invalid_syntax},
    BadRow{"====", Errc::invalid_syntax},
    BadRow{"Z===", Errc::invalid_syntax},
    BadRow{"=Zm8", Errc::invalid_syntax},
    BadRow{"Zm=8", Errc::invalid_syntax},
    BadRow{"Zm9v\r\n", Errc::invalid_syntax},
    BadRow{"Zm9 v", Errc::invalid_syntax},
    BadRow{" Zm9v", Errc::invalid_syntax},
    BadRow{"Zm9-", Errc::invalid_syntax},          // URL-safe alphabet
    BadRow{"Zm9_", Errc::invalid_syntax},
    BadRow{"Zm9\0"s, Errc::invalid_syntax},
    BadRow{"Zm9\xff", Errc::invalid_syntax},
    BadRow{"*", Errc::invalid_syntax},
    BadRow{std::string(base64_encoded_length(kMaxDecodedOctets) + 4, 'A'), Errc::too_big}));

TEST(Base64, MaxDecodedBound) {
  EXPECT_TRUE(base64_decode("Zm9vYmFy", 6));
  EXPECT_EQ(base64_decode("Zm9vYmFy", 5).error().code, Errc::too_big);
  EXPECT_EQ(base64_decode("Zm9vYg==", 3).error().code, Errc::too_big);
  EXPECT_TRUE(base64_decode("Zm9vYg==", 4));
  EXPECT_TRUE(base64_decode("", 0));
}

TEST(Base64, RoundTripsEveryByteAndLength) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes.push_back(static_cast<char>(i));
    auto decoded = base64_decode(base64_encode(bytes));
    ASSERT_TRUE(decoded) << i;
    EXPECT_EQ(*decoded, bytes);
  }
}

}  // namespace
}  // namespace bulwark::parse::sasl

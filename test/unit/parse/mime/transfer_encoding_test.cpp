#include "parse/mime/transfer_encoding.h"

#include <gtest/gtest.h>

namespace bulwark::parse::mime {
namespace {

struct DecodeCase {
  const char* name;
  const char* encoding;
  std::string input;
  std::string expected;
};

class TransferEncodingTable : public ::testing::TestWithParam<DecodeCase> {};

TEST_P(TransferEncodingTable, Decodes) {
  const auto& c = GetParam();
  const auto decoded = decode_body(c.encoding, c.input, 1 << 20);
  ASSERT_TRUE(decoded) << decoded.error().detail;
  EXPECT_EQ(*decoded, c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TransferEncodingTable,
    ::testing::Values(DecodeCase{"identity", "7bit", "a\r\nb", "a\r\nb"},
                      DecodeCase{"absent_is_identity", "", "x", "x"},
                      DecodeCase{"base64", "base64", "aGVsbG8gd29ybGQ=", "hello world"},
                      DecodeCase{"base64_line_breaks", "BASE64", "aGVs\r\nbG8g\nd29y bGQ=\r\n", "hello world"},
                      DecodeCase{"base64_no_padding", "base64", "aGk", "hi"},
                      DecodeCase{"base64_junk_skipped", "base64", "aG*Vs!bG8=", "hello"},
                      DecodeCase{"base64_data_after_padding_ignored", "base64", "aGk=aGk=", "hi"},
                      DecodeCase{"qp", "quoted-printable", "caf=C3=A9", "caf\xc3\xa9"},
                      DecodeCase{"qp_soft_break", "quoted-printable", "Woch=\r\ne!", "Woche!"},
                      DecodeCase{"qp_soft_break_bare_lf", "quoted-printable", "a=\nb", "ab"},
                      DecodeCase{"qp_hard_break", "quoted-printable", "a\r\nb\n", "a\r\nb\r\n"},
                      DecodeCase{"qp_transport_padding", "quoted-printable", "a  \r\nb\t", "a\r\nb"},
                      DecodeCase{"qp_lower_hex", "quoted-printable", "=c3=a9", "\xc3\xa9"},
                      DecodeCase{"qp_bad_escape_kept", "quoted-printable", "100%=ZZ =4", "100%=ZZ =4"},
                      DecodeCase{"qp_equals_before_space", "quoted-printable", "a= \r\nb", "ab"}),
    [](const auto& name_info) { return std::string(name_info.param.name); });

TEST(TransferEncoding, OutputIsBounded) {
  EXPECT_EQ(decode_body("base64", "aGVsbG8gd29ybGQ=", 5).error().code, Errc::too_big);
  EXPECT_EQ(decode_body("quoted-printable", "abcdef", 5).error().code, Errc::too_big);
  EXPECT_EQ(decode_body("7bit", "abcdef", 5).error().code, Errc::too_big);
  EXPECT_EQ(decode_body("base64", "aGk=", 2).value(), "hi");
}

TEST(TransferEncoding, UnknownIsInvalidArgument) {
  EXPECT_EQ(decode_body("x-uuencode", "x", 100).error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace bulwark::parse::mime

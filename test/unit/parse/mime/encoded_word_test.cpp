#include "parse/mime/encoded_word.h"

#include <gtest/gtest.h>

namespace bulwark::parse::mime {
namespace {

struct DecodeCase {
  const char* name;
  const char* input;
  const char* expected;
};

class EncodedWordTable : public ::testing::TestWithParam<DecodeCase> {};

TEST_P(EncodedWordTable, Decodes) {
  const auto& c = GetParam();
  EXPECT_EQ(decode_encoded_words(c.input), c.expected) << c.input;
}

// Several rows are the examples of RFC 2047 8.
INSTANTIATE_TEST_SUITE_P(
    Cases, EncodedWordTable,
    ::testing::Values(
        DecodeCase{"plain", "hello world", "hello world"},
        DecodeCase{"b_utf8", "=?UTF-8?B?U29tbWVyc2NobHVzc3ZlcmthdWYg4oCTIGJpcyB6dSA1MCUgUmFiYXR0?=",
                   "Sommerschlussverkauf \xe2\x80\x93 bis zu 50% Rabatt"},
        DecodeCase{"q_latin1", "=?ISO-8859-1?Q?Andr=E9?= Pirard", "Andr\xc3\xa9 Pirard"},
        DecodeCase{"q_underscore", "=?US-ASCII?Q?Keith_Moore?=", "Keith Moore"},
        DecodeCase{"rfc2047_8_a", "(=?ISO-8859-1?Q?a?=)", "(a)"},
        DecodeCase{"rfc2047_8_space_kept", "(=?ISO-8859-1?Q?a?= b)", "(a b)"},
        DecodeCase{"rfc2047_8_adjacent", "(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"},
        DecodeCase{"rfc2047_8_adjacent_fold", "(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)"},
        DecodeCase{"rfc2047_8_encoded_space", "(=?ISO-8859-1?Q?a_b?=)", "(a b)"},
        DecodeCase{"rfc2047_8_two_charsets", "(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)"},
        DecodeCase{"split_across_charsets",
                   "=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=",
                   "If you can read this you understand the example."},
        DecodeCase{"language_suffix", "=?US-ASCII*EN?Q?Keith_Moore?=", "Keith Moore"},
        DecodeCase{"unknown_charset_left_raw", "=?X-NO-SUCH?Q?abc?=", "=?X-NO-SUCH?Q?abc?="},
        DecodeCase{"unsafe_charset_left_raw", "=?UTF-8//IGNORE?Q?abc?=", "=?UTF-8//IGNORE?Q?abc?="},
        DecodeCase{"bad_encoding_left_raw", "=?UTF-8?X?abc?=", "=?UTF-8?X?abc?="},
        DecodeCase{"bad_q_left_raw", "=?UTF-8?Q?a=ZZ?=", "=?UTF-8?Q?a=ZZ?="},
        DecodeCase{"invalid_bytes_left_raw", "=?ISO-2022-JP?B?GyQ=?=", "=?ISO-2022-JP?B?GyQ=?="},
        DecodeCase{"unterminated", "=?UTF-8?Q?abc", "=?UTF-8?Q?abc"},
        DecodeCase{"space_inside_word", "=?UTF-8?Q?a b?=", "=?UTF-8?Q?a b?="},
        DecodeCase{"raw_8bit_copied", "caf\xc3\xa9 =?UTF-8?Q?ok?=", "caf\xc3\xa9 ok"},
        DecodeCase{"trailing_space_after_word", "=?UTF-8?Q?a?=  ", "a  "}),
    [](const auto& name_info) { return std::string(name_info.param.name); });

TEST(EncodedWord, OutputIsBounded) {
  std::string input;
  for (int i = 0; i < 100; ++i) input += "=?UTF-8?Q?abcdefgh?=";
  EXPECT_EQ(decode_encoded_words(input, 50).size(), 50u);
}

TEST(CharsetToUtf8, ConvertsAndRejects) {
  EXPECT_EQ(charset_to_utf8("iso-8859-1", "caf\xe9").value(), "caf\xc3\xa9");
  EXPECT_EQ(charset_to_utf8("windows-1252", "\x80").value(), "\xe2\x82\xac");
  EXPECT_EQ(charset_to_utf8("no-such-charset", "x").error().code, Errc::invalid_argument);
  EXPECT_EQ(charset_to_utf8("utf-8", "0123456789", 5).error().code, Errc::too_big);
  EXPECT_EQ(charset_to_utf8("iso-8859-1", std::string(100, '\xe9'), 20).error().code, Errc::too_big);
}

}  // namespace
}  // namespace bulwark::parse::mime

#include "parse/mime/content_type.h"

#include <gtest/gtest.h>

namespace bulwark::parse::mime {
namespace {

using Params = std::vector<Parameter>;

struct ContentTypeCase {
  const char* name;
  const char* input;
  std::optional<ContentType> expected;
};

class ContentTypeTable : public ::testing::TestWithParam<ContentTypeCase> {};

TEST_P(ContentTypeTable, Parses) {
  const auto& c = GetParam();
  EXPECT_EQ(parse_content_type(c.input), c.expected) << c.input;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ContentTypeTable,
    ::testing::Values(
        ContentTypeCase{"simple", "text/plain", ContentType{"text", "plain", {}}},
        ContentTypeCase{"case_and_params", "TEXT/Plain; Charset=\"UTF-8\"; format=flowed",
                        ContentType{"text", "plain", Params{{"charset", "UTF-8"}, {"format", "flowed"}}}},
        ContentTypeCase{"comments", "text/plain (note) ; charset=us-ascii (Plain text)",
                        ContentType{"text", "plain", Params{{"charset", "us-ascii"}}}},
        ContentTypeCase{"spaces_around_slash", "multipart / mixed; boundary=\"a b\"",
                        ContentType{"multipart", "mixed", Params{{"boundary", "a b"}}}},
        ContentTypeCase{"quoted_escape", R"(application/x; name="a\"b.txt")",
                        ContentType{"application", "x", Params{{"name", "a\"b.txt"}}}},
        ContentTypeCase{"unquoted_with_spaces", "application/pdf; name=my file.pdf; x=1",
                        ContentType{"application", "pdf", Params{{"name", "my file.pdf"}, {"x", "1"}}}},
        ContentTypeCase{"missing_semicolon", "text/plain charset=utf-8",
                        ContentType{"text", "plain", Params{{"charset", "utf-8"}}}},
        ContentTypeCase{"param_without_value", "text/plain; junk; charset=utf-8",
                        ContentType{"text", "plain", Params{{"charset", "utf-8"}}}},
        ContentTypeCase{"rfc2231_continuation", "application/x; url*0=\"ftp://\"; url*1=\"example.com/a\"",
                        ContentType{"application", "x", Params{{"url", "ftp://example.com/a"}}}},
        ContentTypeCase{"rfc2231_out_of_order", "application/x; name*1=\"b\"; name*0=\"a\"",
                        ContentType{"application", "x", Params{{"name", "ab"}}}},
        ContentTypeCase{"rfc2231_extended", "application/x; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A",
                        ContentType{"application", "x",
                                    Params{{"title*", "us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A"}}}},
        ContentTypeCase{"rfc2231_mixed_segments",
                        "application/x; title*0*=us-ascii'en'This%20is%20even%20more%20; "
                        "title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2=\"isn't it!\"",
                        ContentType{"application", "x",
                                    Params{{"title*", "us-ascii'en'This%20is%20even%20more%20%2A%2A%2Afun%2A%2A%2A%20"
                                                      "isn%27t%20it!"}}}},
        ContentTypeCase{"no_subtype", "text", std::nullopt},
        ContentTypeCase{"empty_subtype", "text/", std::nullopt},
        ContentTypeCase{"empty", "", std::nullopt}),
    [](const auto& name_info) { return std::string(name_info.param.name); });

TEST(ContentType, DecodedParameter) {
  const Params rfc2231{{"filename*", "UTF-8''Rechnung%20M%C3%A4rz.pdf"}};
  EXPECT_EQ(decoded_parameter(rfc2231, "filename"), "Rechnung M\xc3\xa4rz.pdf");
  const Params latin1{{"filename*", "iso-8859-1'de'M%E4rz.pdf"}};
  EXPECT_EQ(decoded_parameter(latin1, "filename"), "M\xc3\xa4rz.pdf");
  const Params encoded_word{{"name", "=?UTF-8?B?w6QucGRm?="}};
  EXPECT_EQ(decoded_parameter(encoded_word, "name"), "\xc3\xa4.pdf");
  const Params bad_charset{{"name", "plain.txt"}, {"name*", "x-bogus''a%41"}};
  EXPECT_EQ(decoded_parameter(bad_charset, "name"), "plain.txt");
  EXPECT_EQ(decoded_parameter(bad_charset, "other"), std::nullopt);
}

TEST(ContentType, Disposition) {
  const auto d = parse_disposition("Attachment; filename=\"a.txt\"; size=3");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->type, "attachment");
  EXPECT_EQ(d->params, (Params{{"filename", "a.txt"}, {"size", "3"}}));
  EXPECT_EQ(parse_disposition("  "), std::nullopt);
}

TEST(ContentType, LanguageList) {
  EXPECT_EQ(parse_language_list("en, de (German)"), (std::vector<std::string>{"en", "de"}));
  EXPECT_EQ(parse_language_list(""), std::vector<std::string>{});
}

TEST(ContentType, ParameterCountIsBounded) {
  std::string value = "text/plain";
  for (int i = 0; i < 500; ++i) value += "; p" + std::to_string(i) + "=v";
  EXPECT_EQ(parse_content_type(value)->params.size(), kMaxParameters);
}

}  // namespace
}  // namespace bulwark::parse::mime

#include "parse/mime/structure_cache.h"

#include <gtest/gtest.h>

#include "parse/mime/imap_serialize.h"
#include "sample_messages.h"

namespace bulwark::parse::mime {
namespace {

using testing::load_sample;

class StructureCacheRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(StructureCacheRoundTrip, DecodeOfEncodeIsIdentity) {
  const std::string raw = load_sample(GetParam());
  const auto root = parse_message(raw);
  ASSERT_TRUE(root);
  const std::string cached = encode_structure(*root);
  const auto decoded = decode_structure(cached);
  ASSERT_TRUE(decoded) << decoded.error().detail;
  EXPECT_EQ(*decoded, *root);
  EXPECT_EQ(write_body_structure(*decoded, true), write_body_structure(*root, true));
}

INSTANTIATE_TEST_SUITE_P(Samples, StructureCacheRoundTrip,
                         ::testing::Values("simple.eml", "alternative.eml", "mixed_attachments.eml",
                                           "nested_rfc822.eml", "rfc2231_filename.eml", "encoded_latin1.eml",
                                           "malformed_bare_lf.eml", "missing_boundary.eml", "digest.eml",
                                           "groups_and_routes.eml", "rfc9051_envelope.eml",
                                           "rfc9051_multipart.eml"));

TEST(StructureCache, RejectsCorruptInput) {
  const auto root = parse_message(load_sample("nested_rfc822.eml")).value();
  const std::string good = encode_structure(root);
  EXPECT_EQ(decode_structure("").error().code, Errc::invalid_syntax);
  EXPECT_EQ(decode_structure("XXXX\x01").error().code, Errc::invalid_syntax);
  std::string wrong_version = good;
  wrong_version[4] = 2;
  EXPECT_EQ(decode_structure(wrong_version).error().code, Errc::invalid_syntax);
  EXPECT_EQ(decode_structure(good + "x").error().code, Errc::invalid_syntax);
  for (std::size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(decode_structure(good.substr(0, n))) << "prefix of " << n << " bytes";
  }
  std::string bad_kind = good;
  bad_kind[5] = 7;
  EXPECT_FALSE(decode_structure(bad_kind));
}

TEST(StructureCache, EveryByteFlipIsRejectedOrDecodesSafely) {
  const auto root = parse_message(load_sample("mixed_attachments.eml")).value();
  const std::string good = encode_structure(root);
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    if (auto decoded = decode_structure(bad)) {
      EXPECT_FALSE(write_body_structure(*decoded, true).empty());
    }
  }
}

}  // namespace
}  // namespace bulwark::parse::mime

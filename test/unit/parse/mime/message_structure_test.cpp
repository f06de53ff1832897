// Sample messages -> exact IMAP ENVELOPE, BODYSTRUCTURE and BODY strings. The rfc9051_* samples reproduce the
// examples of RFC 9051 7.5.2 (see messages/make_rfc9051_samples.py).
#include "parse/mime/message_structure.h"

#include <gtest/gtest.h>

#include "parse/mime/imap_serialize.h"
#include "sample_messages.h"

namespace bulwark::parse::mime {
namespace {

using testing::load_sample;

struct SampleCase {
  const char* file;
  const char* envelope;
  const char* body_structure;
  const char* body;
};

class SampleMessages : public ::testing::TestWithParam<SampleCase> {};

TEST_P(SampleMessages, ProduceExactImapStrings) {
  const auto& c = GetParam();
  const std::string raw = load_sample(c.file);
  ASSERT_FALSE(raw.empty()) << c.file;
  const auto root = parse_message(raw);
  ASSERT_TRUE(root);
  ASSERT_TRUE(root->envelope);
  EXPECT_EQ(write_envelope(*root->envelope), c.envelope);
  EXPECT_EQ(write_body_structure(*root, true), c.body_structure);
  EXPECT_EQ(write_body_structure(*root, false), c.body);
  EXPECT_EQ(root->header_size + root->body_size, raw.size());
}

INSTANTIATE_TEST_SUITE_P(
    Samples, SampleMessages,
    ::testing::Values(
        SampleCase{
            "rfc9051_envelope.eml",
            R"~(("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev2 WG mtg summary and minutes" (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) ((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "<B27397-0100000@cac.washington.edu>"))~",
            R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92 NIL NIL NIL NIL))~",
            R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92))~"},
        SampleCase{
            "rfc9051_multipart.eml",
            R"~((NIL "diff" (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) NIL NIL NIL NIL NIL))~",
            R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23 NIL NIL NIL NIL)("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff") "<960723163407.20117h@cac.washington.edu>" "Compiled diff" "BASE64" 4554 73 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "sep") NIL NIL NIL))~",
            R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23)("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff") "<960723163407.20117h@cac.washington.edu>" "Compiled diff" "BASE64" 4554 73) "MIXED"))~"},
        SampleCase{
            "simple.eml",
            R"~(("Tue, 02 Jan 2024 10:00:00 +0000" "Lunch on Friday?" (("Alice Example" NIL "alice" "example.org")) (("Alice Example" NIL "alice" "example.org")) (("Alice Example" NIL "alice" "example.org")) (("Bob" NIL "bob" "example.net")) NIL NIL NIL "<20240102100000.1234@example.org>"))~",
            R"~(("TEXT" "PLAIN" ("CHARSET" "utf-8" "FORMAT" "flowed") NIL NIL "7BIT" 55 5 NIL NIL NIL NIL))~",
            R"~(("TEXT" "PLAIN" ("CHARSET" "utf-8" "FORMAT" "flowed") NIL NIL "7BIT" 55 5))~"},
        SampleCase{
            "alternative.eml",
            R"~(("Mon, 15 Jul 2024 08:30:00 +0200" "=?UTF-8?B?U29tbWVyc2NobHVzc3ZlcmthdWYg4oCTIGJpcyB6dSA1MCUgUmFiYXR0?=" (("Newsletter" NIL "news" "shop.example")) (("Newsletter" NIL "news" "shop.example")) (("Newsletter" NIL "news" "shop.example")) ((NIL NIL "customer" "example.com")) NIL NIL "<prev@shop.example>" "<nl-2024-07-15@shop.example>"))~",
            R"~((("TEXT" "PLAIN" ("CHARSET" "UTF-8") NIL NIL "QUOTED-PRINTABLE" 79 2 NIL NIL NIL NIL)("TEXT" "HTML" ("CHARSET" "UTF-8") NIL NIL "QUOTED-PRINTABLE" 81 1 NIL NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "=_alt_7f3a") NIL NIL NIL))~",
            R"~((("TEXT" "PLAIN" ("CHARSET" "UTF-8") NIL NIL "QUOTED-PRINTABLE" 79 2)("TEXT" "HTML" ("CHARSET" "UTF-8") NIL NIL "QUOTED-PRINTABLE" 81 1) "ALTERNATIVE"))~"},
        SampleCase{
            "mixed_attachments.eml",
            R"~(("Thu, 03 Oct 2024 16:45:12 -0400" "Q3 report and photo" (("Carol" NIL "carol" "example.com")) (("Carol" NIL "carol" "example.com")) (("Carol" NIL "carol" "example.com")) ((NIL NIL "Team" NIL)(NIL NIL "dave" "example.com")(NIL NIL "erin" "example.com")(NIL NIL NIL NIL)(NIL NIL "frank" "example.com")) (("Grace, Hopper" NIL "grace" "example.com")) NIL NIL "<q3-report@example.com>"))~",
            R"~((("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 16 1 NIL NIL ("en" "de") NIL)("APPLICATION" "PDF" ("NAME" "q3 report.pdf") "<part1.q3@example.com>" "Q3 \"final\" report" "BASE64" 64 "Q2hlY2sgSW50ZWdyaXR5IQ==" ("ATTACHMENT" ("FILENAME" "q3 report.pdf" "SIZE" "24")) NIL NIL)("IMAGE" "PNG" NIL NIL NIL "BASE64" 12 NIL ("INLINE" NIL) NIL "http://example.com/photo.png") "MIXED" ("BOUNDARY" "----=_Part_0_1234.5678") NIL NIL NIL))~",
            R"~((("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 16 1)("APPLICATION" "PDF" ("NAME" "q3 report.pdf") "<part1.q3@example.com>" "Q3 \"final\" report" "BASE64" 64)("IMAGE" "PNG" NIL NIL NIL "BASE64" 12) "MIXED"))~"},
        SampleCase{
            "nested_rfc822.eml",
            R"~(("Fri, 08 Nov 2024 09:00:00 +0000" "Fwd: Meeting notes" (("Henry" NIL "henry" "example.org")) (("Henry" NIL "henry" "example.org")) (("Henry" NIL "henry" "example.org")) ((NIL NIL "ivy" "example.org")) NIL NIL NIL "<fwd-1@example.org>"))~",
            R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 28 1 NIL NIL NIL NIL)("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 403 ("Thu, 07 Nov 2024 17:00:00 +0000" "Meeting notes" (("Judy" NIL "judy" "example.net")) (("Judy" NIL "judy" "example.net")) (("Judy" NIL "judy" "example.net")) ((NIL NIL "henry" "example.org")) NIL NIL NIL "<notes-7@example.net>") (("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 20 2 NIL NIL NIL NIL)("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 39 1 NIL NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "inner") NIL NIL NIL) 18 NIL ("INLINE" NIL) NIL NIL) "MIXED" ("BOUNDARY" "outer") NIL NIL NIL))~",
            R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 28 1)("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 403 ("Thu, 07 Nov 2024 17:00:00 +0000" "Meeting notes" (("Judy" NIL "judy" "example.net")) (("Judy" NIL "judy" "example.net")) (("Judy" NIL "judy" "example.net")) ((NIL NIL "henry" "example.org")) NIL NIL NIL "<notes-7@example.net>") (("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 20 2)("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 39 1) "ALTERNATIVE") 18) "MIXED"))~"},
        SampleCase{
            "rfc2231_filename.eml",
            R"~(("Tue, 12 Mar 2024 11:11:11 +0100" "Rechnung" (("Karl" NIL "karl" "example.de")) (("Karl" NIL "karl" "example.de")) (("Karl" NIL "karl" "example.de")) ((NIL NIL "lena" "example.de")) NIL NIL NIL NIL))~",
            R"~((("TEXT" "PLAIN" ("CHARSET" "iso-8859-1") NIL NIL "8BIT" 19 1 NIL NIL NIL NIL)("APPLICATION" "PDF" ("NAME*" "UTF-8''Rechnung%20M%C3%A4rz.pdf") NIL NIL "BASE64" 12 NIL ("ATTACHMENT" ("FILENAME*" "UTF-8''Rechnung%20M%C3%A4rz.pdf")) NIL NIL) "MIXED" ("BOUNDARY" "b1") NIL NIL NIL))~",
            R"~((("TEXT" "PLAIN" ("CHARSET" "iso-8859-1") NIL NIL "8BIT" 19 1)("APPLICATION" "PDF" ("NAME*" "UTF-8''Rechnung%20M%C3%A4rz.pdf") NIL NIL "BASE64" 12) "MIXED"))~"},
        SampleCase{
            "encoded_latin1.eml",
            R"~(("Sat, 01 Jun 2024 12:00:00 +0200" "=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=" (("=?ISO-8859-1?Q?Andr=E9?= Pirard" NIL "PIRARD" "vm1.ulg.ac.be")) (("=?ISO-8859-1?Q?Andr=E9?= Pirard" NIL "PIRARD" "vm1.ulg.ac.be")) (("=?ISO-8859-1?Q?Andr=E9?= Pirard" NIL "PIRARD" "vm1.ulg.ac.be")) (("=?US-ASCII?Q?Keith_Moore?=" NIL "moore" "cs.utk.edu")) NIL NIL NIL NIL))~",
            R"~(("TEXT" "PLAIN" ("CHARSET" "ISO-8859-1") NIL NIL "QUOTED-PRINTABLE" 17 1 NIL NIL NIL NIL))~",
            R"~(("TEXT" "PLAIN" ("CHARSET" "ISO-8859-1") NIL NIL "QUOTED-PRINTABLE" 17 1))~"},
        SampleCase{
            "malformed_bare_lf.eml",
            "(\"not a date\" {18}\r\ncaf\xc3\xa9 in raw UTF-8 ((\"Mallory\" NIL \"mallory\" \"example.com\")) ((\"Mallory\" NIL \"mallory\" \"example.com\")) ((\"Mallory\" NIL \"mallory\" \"example.com\")) ((NIL NIL \"victim\" \"example.com\")(NIL NIL \"broken\" \"\")) NIL NIL NIL NIL)",
            R"~(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 24 2 NIL NIL NIL NIL))~",
            R"~(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 24 2))~"},
        SampleCase{
            "missing_boundary.eml",
            R"~((NIL "truncated upload" ((NIL NIL "robot" "example.com")) ((NIL NIL "robot" "example.com")) ((NIL NIL "robot" "example.com")) ((NIL NIL "admin" "example.com")) NIL NIL NIL NIL))~",
            R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 10 1 NIL NIL NIL NIL)(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 42 1 NIL NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "yyy") NIL NIL NIL) "MIXED" ("BOUNDARY" "zzz") NIL NIL NIL))~",
            R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 10 1)(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 42 1) "ALTERNATIVE") "MIXED"))~"},
        SampleCase{
            "digest.eml",
            R"~((NIL "Example digest, Vol 1, Issue 2" ((NIL NIL "list-admin" "lists.example")) ((NIL NIL "list-admin" "lists.example")) ((NIL NIL "list-admin" "lists.example")) ((NIL NIL "subscribers" "lists.example")) NIL NIL NIL NIL))~",
            R"~((("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 42 (NIL "first" ((NIL NIL "a" "example.com")) ((NIL NIL "a" "example.com")) ((NIL NIL "a" "example.com")) NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3 1 NIL NIL NIL NIL) 4 NIL NIL NIL NIL)("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 13 1 NIL NIL NIL NIL) "DIGEST" ("BOUNDARY" "dig") NIL NIL NIL))~",
            R"~((("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 42 (NIL "first" ((NIL NIL "a" "example.com")) ((NIL NIL "a" "example.com")) ((NIL NIL "a" "example.com")) NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3 1) 4)("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 13 1) "DIGEST"))~"},
        SampleCase{
            "groups_and_routes.eml",
            R"~((NIL "groups" (("Pete" NIL "pete" "silly.test")) ((NIL "@relay1.example,@relay2.example" "sender" "example.com")) (("Mary Smith: Personal Account" NIL "smith" "home.example")) ((NIL NIL "A Group" NIL)("Ed Jones" NIL "c" "a.test")(NIL NIL "joe" "where.test")("John" NIL "jdoe" "one.test")(NIL NIL NIL NIL)) ((NIL NIL "Undisclosed recipients" NIL)(NIL NIL NIL NIL)) (("John Q. Public" NIL "john.q.public" "example.com")("Joe \"Q\" Q." NIL "joe.q" "example.com")) NIL "<groups@silly.test>"))~",
            R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 6 1 NIL NIL NIL NIL))~",
            R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 6 1))~"}),
    [](const auto& name_info) {
      std::string name = name_info.param.file;
      return name.substr(0, name.find('.'));
    });

std::string body_structure(std::string_view raw, const StructureLimits& limits = {}) {
  const auto root = parse_message(raw, limits);
  return root ? write_body_structure(*root, false) : "error";
}

TEST(MessageStructure, MultipartWithoutBoundaryIsOpaqueText) {
  EXPECT_EQ(body_structure("Content-Type: multipart/mixed\r\n\r\n--x\r\n\r\na\r\n--x--\r\n"),
            R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 17 4))~");
}

TEST(MessageStructure, MultipartWhoseBoundaryNeverOccursReportsAnEmptyPart) {
  EXPECT_EQ(body_structure("Content-Type: multipart/mixed; boundary=x\r\n\r\nno parts\r\n"),
            R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 0 0) "MIXED"))~");
}

TEST(MessageStructure, InvalidContentTypeUsesTheDefault) {
  EXPECT_EQ(body_structure("Content-Type: garbage\r\n\r\nx"),
            R"~(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1 1))~");
}

TEST(MessageStructure, EncodedMessagePartIsNotDescended) {
  EXPECT_EQ(body_structure("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n"
                           "Content-Transfer-Encoding: base64\r\n\r\nRnJvbTogYUBi\r\n--b--\r\n"),
            R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "BASE64" 12 1) "MIXED"))~");
}

TEST(MessageStructure, BoundaryPrefixIsNotADelimiter) {
  EXPECT_EQ(body_structure("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n--bb\r\n--b \r\n\r\nx\r\n--b--"),
            R"~((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 4 1)("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1 1) "MIXED"))~");
}

TEST(MessageStructure, MessageGlobal) {
  EXPECT_EQ(body_structure("Content-Type: message/global\r\n\r\nSubject: s\r\n\r\nb"),
            R"~(("MESSAGE" "GLOBAL" NIL NIL NIL "7BIT" 15 (NIL "s" NIL NIL NIL NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1 1) 3))~");
}

StructureLimits limits_with(std::size_t max_depth, std::size_t max_parts, std::uint64_t max_bytes = 0xffffffffU) {
  StructureLimits limits;
  limits.max_depth = max_depth;
  limits.max_parts = max_parts;
  limits.max_message_bytes = max_bytes;
  return limits;
}

std::string nested_multiparts(int depth) {
  std::string raw;
  for (int i = 0; i < depth; ++i) {
    raw += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" + std::to_string(i) + "\r\n";
  }
  raw += "\r\nleaf\r\n";
  return raw;
}

int max_depth(const Part& part) {
  int depth = 0;
  for (const auto& child : part.children) depth = std::max(depth, 1 + max_depth(child));
  return depth;
}

TEST(MessageStructure, DepthLimit) {
  const std::string raw = nested_multiparts(100);
  const auto root = parse_message(raw, limits_with(5, 2000));
  ASSERT_TRUE(root);
  EXPECT_EQ(max_depth(*root), 5);
  EXPECT_EQ(max_depth(*parse_message(nested_multiparts(10))), 10);
}

TEST(MessageStructure, PartCountLimit) {
  std::string raw = "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
  for (int i = 0; i < 50; ++i) raw += "--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\n\r\nx\r\n--c--\r\n";
  raw += "--b--\r\n";
  const auto root = parse_message(raw, limits_with(32, 10));
  ASSERT_TRUE(root);
  // 1 root + 4 multiparts with one child each = 9 parts; the 5th multipart reaches the limit and is not
  // descended, and everything after it becomes one opaque text part.
  ASSERT_EQ(root->children.size(), 6u);
  EXPECT_EQ(root->children[3].kind, PartKind::multipart);
  EXPECT_EQ(root->children[4].kind, PartKind::leaf);
  EXPECT_EQ(root->children.back().kind, PartKind::leaf);
  EXPECT_EQ(root->children.back().type, "text");
  EXPECT_EQ(root->children.back().body_offset + root->children.back().body_size, raw.size());
}

TEST(MessageStructure, SizeLimit) {
  EXPECT_EQ(parse_message("abc", limits_with(32, 2000, 2)).error().code, Errc::too_big);
}

TEST(MessageStructure, CountLines) {
  EXPECT_EQ(count_lines(""), 0u);
  EXPECT_EQ(count_lines("a"), 1u);
  EXPECT_EQ(count_lines("a\r\n"), 1u);
  EXPECT_EQ(count_lines("a\r\nb"), 2u);
}

}  // namespace
}  // namespace bulwark::parse::mime

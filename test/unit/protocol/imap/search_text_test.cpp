// SEARCH text matching on decoded text: transfer encodings, charsets, RFC 2047, case folding beyond ASCII.
#include "protocol/imap/search_text.h"

#include <gtest/gtest.h>

#include "parse/imap/command_parser.h"
#include "protocol/imap/search_matcher.h"

namespace bulwark::protocol::imap {
namespace {

constexpr std::string_view kMime =
    "From: =?ISO-8859-1?Q?J=F6rg?= <joerg@example.org>\r\n"
    "To: team@example.org\r\n"
    "Subject: =?UTF-8?B?w5xiZXJzaWNodA==?=\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: text/plain; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Gr=FC=DFe aus K=F6ln, soft=\r\n"
    "break here.\r\n"
    "--b1\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "PHA+zprOsc67zrfOvM6tz4HOsSDOus+Mz4POvM61PC9wPg==\r\n"
    "--b1\r\n"
    "Content-Type: application/octet-stream\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "c2VjcmV0YmluYXJ5\r\n"
    "--b1\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: inner =?UTF-8?Q?=D0=9F=D1=80=D0=B8=D0=B2=D0=B5=D1=82?=\r\n"
    "\r\n"
    "inner body words\r\n"
    "--b1--\r\n";

parse::imap::SearchKey key(const std::string& criteria) {
  parse::imap::ParseOptions options;
  options.is_utf8_enabled = true;  // 8-bit in quoted strings (IMAP4rev2); IMAP4rev1 clients send literals
  auto command = parse::imap::parse_command("t SEARCH CHARSET UTF-8 " + criteria, options);
  EXPECT_TRUE(command) << criteria;
  return std::get<parse::imap::SearchArgs>(command->args).key;
}

TEST(SearchTextTest, FoldBeyondAscii) {
  EXPECT_EQ(fold_for_search("AbC \xc3\x96\xc3\x9c \xce\x9a\xce\x91 \xd0\x9f\xd0\x81 \xc5\x81"),
            "abc \xc3\xb6\xc3\xbc \xce\xba\xce\xb1 \xd0\xbf\xd1\x91 \xc5\x82");
  EXPECT_EQ(fold_for_search("\xff\xfe x"), "\xff\xfe x");  // invalid UTF-8 copied
}

TEST(SearchTextTest, BodyIsDecoded) {
  const std::string body = searchable_body(kMime);
  EXPECT_NE(body.find("Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln, softbreak here."), std::string::npos) << body;
  EXPECT_NE(body.find("\xce\x9a\xce\xb1\xce\xbb\xce\xb7\xce\xbc\xce\xad\xcf\x81\xce\xb1"), std::string::npos);
  EXPECT_EQ(body.find("secretbinary"), std::string::npos);  // attachments are not text
  EXPECT_NE(body.find("inner \xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82"), std::string::npos);
  EXPECT_NE(body.find("inner body words"), std::string::npos);
}

TEST(SearchTextTest, MatcherUsesDecodedText) {
  std::vector<std::string> flags;
  SearchMessage message;
  message.seq = 1;
  message.uid = 1;
  message.flags = &flags;
  message.raw = kMime;
  SearchScope scope{1, 1};
  struct Case {
    std::string criteria;
    bool match;
  };
  for (const auto& c : std::vector<Case>{
           {"BODY \"GR\xc3\x9c\xc3\x9f" "E\"", true},                 // QP + Latin-1, case-folded Ü
           {"BODY \"softbreak\"", true},                             // soft line break joined
           {"BODY \"=FC\"", false},                                  // encoded form is not text
           {"BODY \"\xce\xba\xce\xb1\xce\xbb\xce\xb7\xce\xbc\"", true},  // base64 Greek, lower-case needle
           {"BODY secretbinary", false},
           {"BODY c2VjcmV0", false},
           {"BODY \"inner body\"", true},
           {"TEXT \"\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82\"", true},  // inner Subject, Cyrillic folded
           {"TEXT \"J\xc3\xb6rg\"", true},                           // outer From, ISO-8859-1 encoded word
           {"FROM \"J\xc3\x96RG\"", true},
           {"SUBJECT \"\xc3\xbc" "bersicht\"", true},
           {"SUBJECT \"w5xi\"", false},
           {"HEADER Content-Type multipart", true},
           {"TEXT team@example", true},
           {"BODY team@example", false},
           {"OR BODY nothere NOT TEXT nothere", true},
       }) {
    EXPECT_EQ(matches(key(c.criteria), message, scope), c.match) << c.criteria;
  }
}

}  // namespace
}  // namespace bulwark::protocol::imap

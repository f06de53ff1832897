// FETCH data items (RFC 9051 7.5.2) from a parsed message: sections, partials, BINARY, implicit FLAGS.
#include "protocol/imap/fetch_response.h"

#include <gtest/gtest.h>

#include "parse/imap/command_parser.h"

namespace bulwark::protocol::imap {
namespace {

constexpr std::string_view kMessage =
    "From: a@example.org\r\nSubject: Hi\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
    "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
    "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n"
    "--b--\r\n";

std::vector<parse::imap::FetchItem> items(const std::string& text) {
  auto command = parse::imap::parse_command("t FETCH 1 " + text);
  EXPECT_TRUE(command) << text;
  return std::get<parse::imap::FetchArgs>(command->args).items;
}

class FetchResponseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    structure_ = parse::mime::parse_message(kMessage).value();
    source_.uid = 4;
    source_.modseq = 9;
    source_.flags = &flags_;
    source_.internal_date = 0;
    source_.size = kMessage.size();
    source_.structure = &structure_;
    source_.raw = kMessage;
  }
  std::string fetch(const std::string& text, FetchOptions options = {}) {
    return write_fetch_items(items(text), source_, options).value();
  }
  std::vector<std::string> flags_{"\\Seen"};
  parse::mime::Part structure_;
  FetchSource source_;
};

TEST_F(FetchResponseTest, SimpleItemsInRequestOrder) {
  EXPECT_EQ(fetch("(FLAGS UID RFC822.SIZE MODSEQ INTERNALDATE)"),
            "FLAGS (\\Seen) UID 4 RFC822.SIZE " + std::to_string(kMessage.size()) +
                " MODSEQ (9) INTERNALDATE \"01-Jan-1970 00:00:00 +0000\"");
  FetchOptions options;
  options.include_uid = true;
  options.include_flags = true;
  EXPECT_EQ(fetch("RFC822.SIZE", options), "UID 4 RFC822.SIZE " + std::to_string(kMessage.size()) + " FLAGS (\\Seen)");
}

TEST_F(FetchResponseTest, Sections) {
  EXPECT_EQ(fetch("BODY.PEEK[1]"), "BODY[1] {5}\r\nhello");
  EXPECT_EQ(fetch("BODY[1]<1.3>"), "BODY[1]<1> {3}\r\nell");
  EXPECT_EQ(fetch("BODY[1]<10.3>"), "BODY[1]<10> {0}\r\n");
  EXPECT_EQ(fetch("BODY[HEADER.FIELDS (subject)]"), "BODY[HEADER.FIELDS (subject)] {15}\r\nSubject: Hi\r\n\r\n");
  EXPECT_EQ(fetch("BODY[7]"), "BODY[7] NIL");
  EXPECT_EQ(fetch("BODY[]"), "BODY[] {" + std::to_string(kMessage.size()) + "}\r\n" + std::string(kMessage));
  EXPECT_EQ(fetch("BINARY.SIZE[2]"), "BINARY.SIZE[2] 3");
  EXPECT_EQ(fetch("BINARY[2]"), std::string("BINARY[2] ~{3}\r\n\0\1\2", 19));
  EXPECT_NE(fetch("BODYSTRUCTURE").find("(\"TEXT\" \"PLAIN\""), std::string::npos);
  EXPECT_NE(fetch("ENVELOPE").find("\"Hi\""), std::string::npos);
}

TEST_F(FetchResponseTest, NeedsAndSeen) {
  EXPECT_FALSE(needs_record(items("(FLAGS UID MODSEQ)")));
  EXPECT_TRUE(needs_record(items("INTERNALDATE")));
  EXPECT_TRUE(needs_structure(items("ENVELOPE")));
  EXPECT_FALSE(needs_raw(items("BODYSTRUCTURE")));
  EXPECT_TRUE(needs_raw(items("BODY.PEEK[TEXT]")));
  EXPECT_TRUE(sets_seen(items("BODY[TEXT]")));
  EXPECT_FALSE(sets_seen(items("(BODY.PEEK[] BINARY.PEEK[1] RFC822.HEADER)")));
  EXPECT_TRUE(sets_seen(items("RFC822")));
  EXPECT_EQ(find_part(structure_, {2})->subtype, "octet-stream");
  EXPECT_EQ(find_part(structure_, {3}), nullptr);
}

}  // namespace
}  // namespace bulwark::protocol::imap

// Response formatting: flag lists, number sets, INTERNALDATE, date conversions, tagged lines and error codes.
#include "protocol/imap/response_format.h"

#include <gtest/gtest.h>

#include "protocol/imap/imap_reply.h"

namespace bulwark::protocol::imap {
namespace {

TEST(ResponseFormatTest, FlagListAndNumberSet) {
  EXPECT_EQ(flag_list({}), "()");
  EXPECT_EQ(flag_list({"\\Seen", "$Work"}), "(\\Seen $Work)");
  struct Case {
    std::vector<std::uint32_t> in;
    bool sort;
    std::string out;
  };
  for (const auto& c : std::vector<Case>{{{}, true, ""},
                                         {{1}, true, "1"},
                                         {{3, 1, 2, 5, 2}, true, "1:3,5"},
                                         {{7, 8, 4}, false, "7:8,4"},
                                         {{10, 12, 13, 14, 20}, true, "10,12:14,20"}}) {
    EXPECT_EQ(number_set(c.in, c.sort), c.out);
  }
}

TEST(ResponseFormatTest, Dates) {
  EXPECT_EQ(format_internal_date(0), "\"01-Jan-1970 00:00:00 +0000\"");
  EXPECT_EQ(format_internal_date(837596665), "\"17-Jul-1996 09:44:25 +0000\"");
  parse::imap::DateTime t{{1996, 7, 17}, 2, 44, 25, -420};
  EXPECT_EQ(to_unix_seconds(t), 837596665);
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(unix_day(-1), -1);
  EXPECT_EQ(rfc5322_day("Tue, 1 Jul 2003 10:52:37 +0200"), days_from_civil(2003, 7, 1));
  EXPECT_EQ(rfc5322_day("1 jul 03 10:52 GMT"), days_from_civil(2003, 7, 1));
  EXPECT_FALSE(rfc5322_day("yesterday"));
}

TEST(ImapReplyTest, ErrorCodesAndTaggedLines) {
  EXPECT_EQ(tagged_line("a1", Reply::ok("done")), "a1 OK done\r\n");
  EXPECT_EQ(tagged_line("", Reply::bad("x")), "* BAD x\r\n");
  struct Case {
    Errc code;
    Completion status;
    std::string prefix;
  };
  for (const auto& c : std::vector<Case>{{Errc::not_found, Completion::no, "[NONEXISTENT]"},
                                         {Errc::already_exists, Completion::no, "[ALREADYEXISTS]"},
                                         {Errc::permission_denied, Completion::no, "[NOPERM]"},
                                         {Errc::quota_exceeded, Completion::no, "[OVERQUOTA]"},
                                         {Errc::too_big, Completion::no, "[TOOBIG]"},
                                         {Errc::invalid_argument, Completion::no, "[CANNOT]"},
                                         {Errc::temporary_failure, Completion::no, "[UNAVAILABLE]"},
                                         {Errc::internal, Completion::no, "[SERVERBUG]"},
                                         {Errc::invalid_syntax, Completion::bad, "X:"}}) {
    auto reply = reply_for(Error{c.code, "secret detail"}, "X");
    EXPECT_EQ(reply.status, c.status);
    EXPECT_EQ(reply.text.rfind(c.prefix, 0), 0u) << reply.text;
    if (c.code == Errc::internal) {
      EXPECT_EQ(reply.text.find("secret"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace bulwark::protocol::imap

#include "protocol/smtp/smtp_replies.h"

#include <gtest/gtest.h>

namespace bulwark::protocol::smtp {
namespace {

struct Case {
  Errc code;
  Stage stage;
  int reply;
  const char* enhanced;
};

class ReplyMapping : public ::testing::TestWithParam<Case> {};

TEST_P(ReplyMapping, MapsErrcAtStage) {
  const auto& c = GetParam();
  Reply r = reply_for(Error{c.code, "detail"}, c.stage);
  EXPECT_EQ(r.code, c.reply) << errc_name(c.code);
  EXPECT_EQ(r.enhanced, c.enhanced) << errc_name(c.code);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ReplyMapping,
    ::testing::Values(Case{Errc::too_big, Stage::command, 500, "5.5.6"},
                      Case{Errc::invalid_syntax, Stage::command, 501, "5.5.4"},
                      Case{Errc::invalid_argument, Stage::command, 555, "5.5.4"},
                      Case{Errc::too_big, Stage::mail, 552, "5.3.4"},
                      Case{Errc::permission_denied, Stage::mail, 553, "5.7.1"},
                      Case{Errc::invalid_syntax, Stage::mail, 501, "5.1.7"},
                      Case{Errc::not_found, Stage::rcpt, 550, "5.1.1"},
                      Case{Errc::permission_denied, Stage::rcpt, 550, "5.7.1"},
                      Case{Errc::quota_exceeded, Stage::rcpt, 452, "4.2.2"},
                      Case{Errc::too_big, Stage::rcpt, 552, "5.2.2"},
                      Case{Errc::invalid_syntax, Stage::rcpt, 501, "5.1.3"},
                      Case{Errc::too_big, Stage::message, 552, "5.3.4"},
                      Case{Errc::invalid_syntax, Stage::message, 550, "5.6.0"},
                      Case{Errc::permission_denied, Stage::message, 550, "5.7.1"},
                      Case{Errc::quota_exceeded, Stage::delivery, 452, "4.2.2"},
                      Case{Errc::too_big, Stage::delivery, 552, "5.2.2"},
                      Case{Errc::permission_denied, Stage::auth, 535, "5.7.8"},
                      Case{Errc::invalid_syntax, Stage::auth, 501, "5.5.2"},
                      Case{Errc::temporary_failure, Stage::auth, 454, "4.7.0"},
                      Case{Errc::internal, Stage::delivery, 451, "4.3.0"},
                      Case{Errc::temporary_failure, Stage::rcpt, 451, "4.3.0"},
                      Case{Errc::unavailable, Stage::command, 451, "4.3.0"}));

TEST(Reply, InternalDetailNeverReachesTheClient) {
  Reply r = reply_for(Error{Errc::internal, "sqlite step: disk I/O error at /var/lib/x"}, Stage::delivery);
  EXPECT_EQ(r.wire().find("sqlite"), std::string::npos);
  EXPECT_EQ(r.wire().find("/var"), std::string::npos);
}

TEST(Reply, ClientDetailIsSanitized) {
  Reply r = reply_for(Error{Errc::invalid_syntax, "bad\r\n250 injected"}, Stage::message);
  std::string wire = r.wire();
  EXPECT_EQ(wire.find("\r\n"), wire.size() - 2);
}

TEST(Reply, WireFormat) {
  EXPECT_EQ(replies::ok("OK").wire(), "250 2.0.0 OK\r\n");
  EXPECT_EQ((Reply{220, "", "ready"}).wire(), "220 ready\r\n");
  EXPECT_EQ(replies::timeout("mx.example").wire(), "421 4.4.2 mx.example Timeout, closing\r\n");
  EXPECT_EQ(replies::shutting_down("mx.example").wire(), "421 4.3.2 mx.example Service shutting down\r\n");
  EXPECT_EQ(replies::starttls_first().wire(), "530 5.7.0 Must issue a STARTTLS command first\r\n");
  EXPECT_EQ(replies::too_many_recipients().wire(), "452 4.5.3 Too many recipients\r\n");
  EXPECT_EQ(replies::line_too_long().wire(), "500 5.5.6 Line too long\r\n");
  EXPECT_EQ(replies::rate_limited().code, 451);
  EXPECT_EQ(replies::cannot_verify().code, 252);
}

}  // namespace
}  // namespace bulwark::protocol::smtp

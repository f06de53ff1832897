#include "protocol/smtp/received_header.h"

#include <gtest/gtest.h>

namespace bulwark::protocol::smtp {
namespace {

TEST(ReceivedHeader, WithProtocolNames) {
  EXPECT_EQ(with_protocol(false, false, false), "SMTP");
  EXPECT_EQ(with_protocol(false, true, true), "SMTP");
  EXPECT_EQ(with_protocol(true, false, false), "ESMTP");
  EXPECT_EQ(with_protocol(true, true, false), "ESMTPS");
  EXPECT_EQ(with_protocol(true, false, true), "ESMTPA");
  EXPECT_EQ(with_protocol(true, true, true), "ESMTPSA");
}

TEST(ReceivedHeader, Rfc5322Date) {
  EXPECT_EQ(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(rfc5322_date(1795499999), "Tue, 24 Nov 2026 05:59:59 +0000");
}

TEST(ReceivedHeader, PlainSmtpOneRecipient) {
  ReceivedInfo info;
  info.helo = "client.example";
  info.peer_ip = "192.0.2.7";
  info.by_host = "mx.example.org";
  info.esmtp = true;
  info.id = "ABC.1.2";
  info.for_recipient = "alice@example.org";
  info.when = 0;
  EXPECT_EQ(format_received(info),
            "Received: from client.example ([192.0.2.7])\r\n"
            "\tby mx.example.org (Bulwark) with ESMTP\r\n"
            "\tid ABC.1.2\r\n"
            "\tfor <alice@example.org>;\r\n"
            "\tThu, 01 Jan 1970 00:00:00 +0000\r\n");
}

TEST(ReceivedHeader, TlsAuthenticatedIpv6SeveralRecipients) {
  ReceivedInfo info;
  info.helo = "[IPv6:2001:db8::1]";
  info.peer_ip = "2001:db8::1";
  info.by_host = "mx.example.org";
  info.tls = true;
  info.authenticated = true;
  info.tls_description = "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384";
  info.id = "X";
  info.when = 0;
  std::string h = format_received(info);
  EXPECT_NE(h.find("from [IPv6:2001:db8::1] ([IPv6:2001:db8::1])"), std::string::npos);
  EXPECT_NE(h.find("with ESMTPSA\r\n\t(TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)"), std::string::npos);
  EXPECT_EQ(h.find("for <"), std::string::npos);
  // Every line of a header field ends with CRLF; continuation lines start with white space.
  for (std::size_t pos = h.find("\r\n"); pos + 2 < h.size(); pos = h.find("\r\n", pos + 2)) {
    EXPECT_EQ(h[pos + 2], '\t');
  }
}

TEST(ReceivedHeader, ReturnPath) {
  EXPECT_EQ(format_return_path("bob@example.net"), "Return-Path: <bob@example.net>\r\n");
  EXPECT_EQ(format_return_path(""), "Return-Path: <>\r\n");
}

}  // namespace
}  // namespace bulwark::protocol::smtp

// Pure parts of the delivery worker: retry timing, DSN rules and layout, dot-stuffing, DKIM key generation and
// the shape of a signature (the signature itself is verified by python3-dkim in test_outbound_dkim.py).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "delivery/dkim_signer.h"
#include "delivery/dsn.h"
#include "delivery/retry_policy.h"
#include "delivery/smtp_client.h"

namespace bulwark::delivery {
namespace {

using std::chrono::seconds;

TEST(RetryPolicy, DoublesUpToMaxAndStopsAtExpiry) {
  RetryPolicy p{seconds(60), seconds(600), seconds(3600)};
  EXPECT_EQ(retry_delay(p, 1), seconds(60));
  EXPECT_EQ(retry_delay(p, 2), seconds(120));
  EXPECT_EQ(retry_delay(p, 4), seconds(480));
  EXPECT_EQ(retry_delay(p, 5), seconds(600));
  EXPECT_EQ(retry_delay(p, 1000), seconds(600));
  EXPECT_EQ(next_attempt(p, 1, 1000, 1000, 0), 1060);
  EXPECT_EQ(next_attempt(p, 5, 4500, 1000, 0), 4600);  // capped at the lifetime's end
  EXPECT_EQ(next_attempt(p, 5, 4600, 1000, 0), std::nullopt);
  EXPECT_EQ(next_attempt(p, 1, 1000, 1000, 1030), 1030);  // the message's own expiry wins
}

TEST(Dsn, NotifyRules) {
  EXPECT_TRUE(should_notify("", DsnAction::failed));
  EXPECT_FALSE(should_notify("", DsnAction::relayed));
  EXPECT_FALSE(should_notify("NEVER", DsnAction::failed));
  EXPECT_FALSE(should_notify("SUCCESS", DsnAction::failed));
  EXPECT_TRUE(should_notify("success,failure", DsnAction::failed));
  EXPECT_TRUE(should_notify("SUCCESS,DELAY", DsnAction::relayed));
}

TEST(Dsn, MultipartReportLayout) {
  DsnInput in;
  in.reporting_mta = "mail.test";
  in.sender = "alice@example.org";
  in.envid = "env-1";
  in.arrival = 1700000000;
  in.now = 1700000100;
  in.message_id = "dsn.1";
  in.original = "Subject: hi\r\nFrom: alice@example.org\r\n\r\nsecret body\r\n";
  DsnRecipient r;
  r.address = "bob@remote.test";
  r.orcpt = "rfc822;bob@remote.test";
  r.status = "5.1.1";
  r.remote_mta = "mx.remote.test";
  r.diagnostic = "550 5.1.1 no\r\nsuch user";
  r.diagnostic_is_smtp = true;
  in.recipients.push_back(r);
  std::string dsn = build_dsn(in);
  for (std::string_view part : {"Content-Type: multipart/report; report-type=delivery-status",
                                "Content-Type: message/delivery-status", "Reporting-MTA: dns; mail.test",
                                "Original-Envelope-Id: env-1", "Final-Recipient: rfc822; bob@remote.test",
                                "Original-Recipient: rfc822; bob@remote.test", "Action: failed", "Status: 5.1.1",
                                "Remote-MTA: dns; mx.remote.test", "Diagnostic-Code: smtp; 550 5.1.1 no  such user",
                                "Content-Type: text/rfc822-headers", "Subject: hi", "To: <alice@example.org>",
                                "Auto-Submitted: auto-replied"}) {
    EXPECT_NE(dsn.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(dsn.find("secret body"), std::string::npos);  // RET not FULL: headers only
  in.ret = "FULL";
  EXPECT_NE(build_dsn(in).find("secret body"), std::string::npos);
}

TEST(SmtpClient, DotStuffing) {
  EXPECT_EQ(dot_stuff("a\r\n.b\r\n..c\r\n"), "a\r\n..b\r\n...c\r\n.\r\n");
  EXPECT_EQ(dot_stuff("no end"), "no end\r\n.\r\n");
  EXPECT_EQ(dot_stuff("bare\nlf\n.x"), "bare\r\nlf\r\n..x\r\n.\r\n");
  EXPECT_EQ(dot_stuff(""), ".\r\n");
  EXPECT_EQ(dot_stuff("a\rb\r\r\n.\r"), "a\r\nb\r\n\r\n..\r\n.\r\n");
}

// The run-copying dot_stuff against the plain one-character-at-a-time rule, on every string of up to 7 characters
// over {a, ., CR, LF}: same output for all.
std::string dot_stuff_reference(std::string_view content) {
  std::string out;
  bool line_start = true;
  for (std::size_t i = 0; i < content.size(); ++i) {
    char c = content[i];
    if (line_start && c == '.') out += '.';
    if (c == '\n') {
      if (out.empty() || out.back() != '\r') out += '\r';
      out += '\n';
      line_start = true;
      continue;
    }
    if (c == '\r' && (i + 1 >= content.size() || content[i + 1] != '\n')) {
      out += "\r\n";
      line_start = true;
      continue;
    }
    out += c;
    line_start = false;
  }
  if (!out.empty() && !line_start) out += "\r\n";
  out += ".\r\n";
  return out;
}

TEST(SmtpClient, DotStuffingMatchesTheCharacterRule) {
  constexpr char kAlphabet[] = {'a', '.', '\r', '\n'};
  for (std::size_t length = 0; length <= 7; ++length) {
    std::size_t combinations = 1;
    for (std::size_t k = 0; k < length; ++k) combinations *= 4;
    for (std::size_t code = 0; code < combinations; ++code) {
      std::string input;
      for (std::size_t k = 0, rest = code; k < length; ++k, rest /= 4) input += kAlphabet[rest % 4];
      ASSERT_EQ(dot_stuff(input), dot_stuff_reference(input)) << testing::PrintToString(input);
    }
  }
}

class DkimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "bulwark-dkim-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(DkimTest, GeneratesKeysAndSignsWithEach) {
  auto rsa = generate_dkim_key(dir_, "Example.ORG", "r1", DkimAlgorithm::rsa_sha256, false);
  ASSERT_TRUE(rsa) << rsa.error().detail;
  EXPECT_TRUE(rsa->starts_with("v=DKIM1; k=rsa; p=MIIBIjAN"));  // 2048-bit SubjectPublicKeyInfo
  auto ed = generate_dkim_key(dir_, "example.org", "e1", DkimAlgorithm::ed25519_sha256, false);
  ASSERT_TRUE(ed);
  EXPECT_EQ(ed->size(), std::string("v=DKIM1; k=ed25519; p=").size() + 44);
  EXPECT_FALSE(generate_dkim_key(dir_, "example.org", "e1", DkimAlgorithm::ed25519_sha256, false));
  EXPECT_TRUE(generate_dkim_key(dir_, "example.org", "e1", DkimAlgorithm::ed25519_sha256, true));
  EXPECT_FALSE(generate_dkim_key(dir_, "../etc", "x", DkimAlgorithm::ed25519_sha256, false));
  EXPECT_FALSE(generate_dkim_key(dir_, "example.org", "a/b", DkimAlgorithm::ed25519_sha256, false));

  DkimSigner signer(dir_);
  auto sig = signer.sign("EXAMPLE.org", "From: a@example.org\r\nSubject: x\r\n\r\nbody\r\n", 1700000000);
  ASSERT_TRUE(sig) << sig.error().detail;
  EXPECT_NE(sig->find("a=ed25519-sha256; c=relaxed/relaxed; d=example.org; s=e1;"), std::string::npos);
  EXPECT_NE(sig->find("a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=r1;"), std::string::npos);
  EXPECT_NE(sig->find("h=from:subject;"), std::string::npos);
  auto none = signer.sign("other.test", "From: a@other.test\r\n\r\n", 1700000000);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace bulwark::delivery

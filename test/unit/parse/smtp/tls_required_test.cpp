#include "parse/smtp/tls_required.h"

#include <gtest/gtest.h>

namespace bulwark::parse::smtp {
namespace {

TEST(TlsRequired, FindsTheFieldInTheHeaderOnly) {
  EXPECT_TRUE(has_tls_required_no("From: a@b\r\nTLS-Required: No\r\n\r\nbody\r\n"));
  EXPECT_TRUE(has_tls_required_no("tls-required:no\nSubject: x\n\nbody"));
  EXPECT_TRUE(has_tls_required_no("TLS-Required:\r\n  No \r\n\r\n"));
  EXPECT_FALSE(has_tls_required_no("From: a@b\r\n\r\nTLS-Required: No\r\n"));
  EXPECT_FALSE(has_tls_required_no("From: a@b\r\nTLS-Required: Yes\r\n\r\n"));
  EXPECT_FALSE(has_tls_required_no("From: a@b\r\nTLS-Required: No thanks\r\n\r\n"));
  EXPECT_FALSE(has_tls_required_no("X-TLS-Required: No\r\n\r\n"));
  EXPECT_FALSE(has_tls_required_no("TLS-Required: No\r\nTLS-Required: No\r\n\r\n"));
  EXPECT_FALSE(has_tls_required_no(""));
}

}  // namespace
}  // namespace bulwark::parse::smtp

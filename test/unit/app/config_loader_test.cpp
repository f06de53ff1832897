#include "app/config_loader.h"

#include <gtest/gtest.h>

namespace bulwark::app {
namespace {

TEST(ConfigLoader, EmptyFileGivesDefaults) {
  auto config = load_config_text("").value();
  EXPECT_EQ(config.hostname, "localhost");
  EXPECT_TRUE(config.listen.empty());
  EXPECT_EQ(config.limits.max_connections_per_ip, 50u);
  EXPECT_EQ(config.limits.max_message_bytes, 50ULL << 20);
}

TEST(ConfigLoader, FullExample) {
  auto config = load_config_text(R"(
data_dir = "/var/lib/bulwark"
hostname = "mail.example.org"
user = "mail"
log_level = "debug"
threads = 4
[listen]
smtp = "0.0.0.0:25"
submissions = "[::1]:465"
imap = "127.0.0.1:143"
[tls]
certificate = "/etc/ssl/mail.pem"
private_key = "/etc/ssl/mail.key"
[limits]
max_connections = 500
idle_timeout = "10m"
max_message_size = "25M"
[auth]
ban_time = "1h"
hash_memory = "32M"
[smtp]
bare_line_ending = "normalize"
)").value();
  EXPECT_EQ(config.data_dir, "/var/lib/bulwark");
  EXPECT_EQ(config.run_as_user, "mail");
  EXPECT_EQ(config.threads, 4u);
  ASSERT_EQ(config.listen.size(), 3u);
  EXPECT_EQ(config.listen.at(Protocol::smtp).port, 25);
  EXPECT_EQ(config.listen.at(Protocol::submissions).host, "::1");
  EXPECT_EQ(config.limits.max_connections, 500u);
  EXPECT_EQ(config.limits.idle_timeout, std::chrono::seconds(600));
  EXPECT_EQ(config.limits.max_message_bytes, 25ULL << 20);
  EXPECT_EQ(config.auth.ban_time, std::chrono::seconds(3600));
  EXPECT_EQ(config.auth.hash_memory_bytes, 32ULL << 20);
  EXPECT_EQ(config.smtp.bare_line_ending, "normalize");
}

TEST(ConfigLoader, DeliverySection) {
  auto defaults = load_config_text("").value().delivery;
  EXPECT_TRUE(defaults.enabled);
  EXPECT_EQ(defaults.port, 25);
  EXPECT_EQ(defaults.lifetime, std::chrono::seconds(5 * 86400));
  EXPECT_EQ(defaults.max_connections_per_domain, 4u);
  EXPECT_EQ(defaults.connection_cache_time, std::chrono::seconds(2));
  EXPECT_EQ(load_config_text("[delivery]\nconnection_cache_time = \"0s\"").value().delivery.connection_cache_time.count(), 0);
  auto config = load_config_text(R"(
[delivery]
resolver = "127.0.0.1:5353"
port = 2525
lifetime = "2d"
retry_base = "1m"
retry_max = "1h"
max_connections_per_domain = 2
connection_cache_time = "5s"
require_tls_domains = ["Bank.example", "gov.example"]
relay_host = "relay.example:587"
relay_user = "me"
relay_password = "pw"
)").value().delivery;
  EXPECT_EQ(config.resolver, "127.0.0.1:5353");
  EXPECT_EQ(config.port, 2525);
  EXPECT_EQ(config.lifetime, std::chrono::seconds(2 * 86400));
  EXPECT_EQ(config.retry_base, std::chrono::seconds(60));
  EXPECT_EQ(config.max_connections_per_domain, 2u);
  EXPECT_EQ(config.connection_cache_time, std::chrono::seconds(5));
  EXPECT_EQ(config.require_tls_domains, (std::vector<std::string>{"bank.example", "gov.example"}));
  EXPECT_EQ(config.relay_host, "relay.example:587");
  for (const char* bad : {"[delivery]\nport = 0", "[delivery]\nretry_base = \"1h\"\nretry_max = \"1m\"",
                          "[delivery]\nresolver = \"127.0.0.1\"", "[delivery]\nrelay_user = \"x\"",
                          "[delivery]\nrequire_tls_domains = \"x\"", "[delivery]\nmax_connections_per_domain = 0",
                          "[delivery]\nconnection_cache_time = \"soon\""}) {
    auto r = load_config_text(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().detail.find("delivery."), std::string::npos) << r.error().detail;
  }
}

TEST(ConfigLoader, DeliveryTlsPolicy) {
  auto defaults = load_config_text("").value().delivery;
  EXPECT_TRUE(defaults.mta_sts);
  EXPECT_TRUE(defaults.relay_tls_verify);
  EXPECT_FALSE(defaults.mta_sts_allow_private_addresses);
  EXPECT_EQ(defaults.mta_sts_port, 443);
  EXPECT_EQ(defaults.mta_sts_fetch_timeout, std::chrono::seconds(20));
  EXPECT_EQ(defaults.mta_sts_max_policy_bytes, 64u * 1024);
  EXPECT_EQ(defaults.tls_ca_file, "");
  auto config = load_config_text(R"(
[delivery]
tls_ca_file = "/etc/ssl/test-ca.pem"
relay_tls_verify = false
mta_sts = false
mta_sts_port = 8443
mta_sts_allow_private_addresses = true
mta_sts_fetch_timeout = "5s"
mta_sts_max_policy_size = "4K"
)").value().delivery;
  EXPECT_EQ(config.tls_ca_file, "/etc/ssl/test-ca.pem");
  EXPECT_FALSE(config.relay_tls_verify);
  EXPECT_FALSE(config.mta_sts);
  EXPECT_EQ(config.mta_sts_port, 8443);
  EXPECT_TRUE(config.mta_sts_allow_private_addresses);
  EXPECT_EQ(config.mta_sts_fetch_timeout, std::chrono::seconds(5));
  EXPECT_EQ(config.mta_sts_max_policy_bytes, 4u * 1024);
  for (const char* bad : {"[delivery]\nmta_sts_port = 0", "[delivery]\nmta_sts = \"yes\"",
                          "[delivery]\nmta_sts_fetch_timeout = \"soon\""}) {
    EXPECT_FALSE(load_config_text(bad)) << bad;
  }
}

TEST(ConfigLoader, HttpAndDavLimits) {
  auto defaults = load_config_text("").value();
  EXPECT_EQ(defaults.http.max_header_bytes, 16u * 1024);
  EXPECT_EQ(defaults.dav.max_recurrence_instances, 20000u);
  auto config = load_config_text(R"(
[http]
max_header_size = "8K"
max_body_size = "2M"
max_requests_per_connection = 10
max_requests_per_minute_per_ip = 0
request_timeout = "5s"
keepalive_timeout = "2m"
[dav]
max_xml_depth = 12
max_xml_elements = 500
max_resource_size = "256K"
max_recurrence_instances = 777
max_multiget_hrefs = 50
max_query_results = 60
)").value();
  EXPECT_EQ(config.http.max_header_bytes, 8u * 1024);
  EXPECT_EQ(config.http.max_body_bytes, 2ULL << 20);
  EXPECT_EQ(config.http.max_requests_per_connection, 10u);
  EXPECT_EQ(config.http.max_requests_per_minute_per_ip, 0u);
  EXPECT_EQ(config.http.request_timeout, std::chrono::seconds(5));
  EXPECT_EQ(config.http.keepalive_timeout, std::chrono::seconds(120));
  EXPECT_EQ(config.dav.max_xml_depth, 12u);
  EXPECT_EQ(config.dav.max_xml_elements, 500u);
  EXPECT_EQ(config.dav.max_resource_bytes, 256u * 1024);
  EXPECT_EQ(config.dav.max_recurrence_instances, 777u);
  EXPECT_EQ(config.dav.max_multiget_hrefs, 50u);
  EXPECT_EQ(config.dav.max_query_results, 60u);
  EXPECT_FALSE(load_config_text("[dav]\nmax_xml_depth = 2"));
  EXPECT_FALSE(load_config_text("[http]\nmax_requests_per_connection = 0"));
}

TEST(ConfigLoader, ErrorsNameTheKeyAndReason) {
  struct Row {
    const char* toml;
    const char* expected;
  } rows[] = {
      {"dta_dir = \"x\"", "dta_dir: unknown key"},
      {"[listen]\nsmpt = \"127.0.0.1:25\"", "listen.smpt: unknown key"},
      {"[listen]\nsmtp = \"127.0.0.1\"", "listen.smtp: expected"},
      {"[listen]\nsmtp = \"127.0.0.1:99999\"", "listen.smtp: port must be 1-65535"},
      {"[listen]\nsmtp = \"localhost:25\"", "listen.smtp: the address must be numeric"},
      {"[listen]\nsmtp = \"127.0.0.1:25\"\nimap = \"127.0.0.1:25\"", "also used by"},
      {"[limits]\nmax_connections = \"many\"", "limits.max_connections: expected an integer"},
      {"[limits]\nmax_connections = 0", "limits.max_connections: must be between"},
      {"[limits]\nidle_timeout = \"5 years\"", "limits.idle_timeout"},
      {"[limits]\nmax_message_size = \"12X\"", "limits.max_message_size: unknown size suffix"},
      {"[tls]\ncertificate = \"/a.pem\"", "tls: set both"},
      {"log_level = \"loud\"", "log_level: must be one of"},
      {"[smtp]\nbare_line_ending = \"maybe\"", "smtp.bare_line_ending"},
      {"listen = 5", "listen: expected a table"},
      {"hostname = ", "config:"},
  };
  for (const auto& row : rows) {
    auto result = load_config_text(row.toml, "test.toml");
    ASSERT_FALSE(result) << row.toml;
    EXPECT_NE(result.error().detail.find(row.expected), std::string::npos)
        << row.toml << " -> " << result.error().detail;
  }
}

TEST(ConfigLoader, RelativePathsAreRelativeToTheFile) {
  auto config = load_config_text("data_dir = \"data\"", "/etc/bulwark/bulwark.toml").value();
  EXPECT_EQ(config.data_dir, "/etc/bulwark/data");
}

// RFC 9051 5.4: at least 30 minutes after authentication; the pre-auth timer may be shorter.
TEST(ConfigLoader, ImapTimeouts) {
  auto defaults = load_config_text("").value();
  EXPECT_EQ(defaults.limits.imap_idle_timeout, std::chrono::minutes(30));
  EXPECT_EQ(defaults.limits.imap_preauth_timeout, std::chrono::seconds(60));
  EXPECT_EQ(defaults.limits.imap_idle_poll, std::chrono::seconds(10));
  auto config = load_config_text(
                    "[limits]\nimap_idle_timeout = \"45m\"\nimap_preauth_timeout = \"20s\"\n"
                    "imap_idle_poll = \"1h\"")
                    .value();
  EXPECT_EQ(config.limits.imap_idle_timeout, std::chrono::minutes(45));
  EXPECT_EQ(config.limits.imap_preauth_timeout, std::chrono::seconds(20));
  EXPECT_EQ(config.limits.imap_idle_poll, std::chrono::hours(1));
  EXPECT_FALSE(load_config_text("[limits]\nimap_idle_timeout = \"soon\"").has_value());
}

// ADR 0003 "Checkpoints": when the background checkpoint starts and where the committing delivery takes over.
TEST(ConfigLoader, WalCheckpointThresholds) {
  auto defaults = load_config_text("").value();
  EXPECT_EQ(defaults.wal_checkpoint_pages, 1000u);
  EXPECT_EQ(defaults.wal_max_pages, 16384u);
  auto config = load_config_text("wal_checkpoint_pages = 250\nwal_max_pages = 0").value();
  EXPECT_EQ(config.wal_checkpoint_pages, 250u);
  EXPECT_EQ(config.wal_max_pages, 0u);
  auto zero = load_config_text("wal_checkpoint_pages = 0", "test.toml");
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().detail.find("wal_checkpoint_pages: must be between"), std::string::npos);
}

TEST(ConfigLoader, SearchIndex) {
  auto defaults = load_config_text("").value();
  EXPECT_TRUE(defaults.search.index);
  EXPECT_EQ(defaults.search.index_batch_messages, 200u);
  auto config = load_config_text("[search]\nindex = false\nindex_batch_messages = 50").value();
  EXPECT_FALSE(config.search.index);
  EXPECT_EQ(config.search.index_batch_messages, 50u);
  auto zero = load_config_text("[search]\nindex_batch_messages = 0", "test.toml");
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().detail.find("index_batch_messages: must be between"), std::string::npos);
  EXPECT_FALSE(load_config_text("[search]\nindex = \"yes\""));
}

}  // namespace
}  // namespace bulwark::app

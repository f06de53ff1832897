// The server's configuration as plain values. Parsed from TOML by app/config_loader (every key and default is
// documented in README.md "Configuration"); everything else only reads these structs.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark {

// The protocols a [listen] entry may name. A protocol left out of [listen] is off.
enum class Protocol { smtp, submission, submissions, imap, imaps, pop3s, http, https };
std::string_view protocol_name(Protocol protocol);
std::optional<Protocol> protocol_from_name(std::string_view name);
// Implicit TLS from the first byte (submissions, imaps, pop3s, https).
bool is_implicit_tls(Protocol protocol);

struct ListenAddress {
  std::string host;  // numeric address: "127.0.0.1", "::1", "0.0.0.0"
  std::uint16_t port = 0;
  std::string to_string() const;
  bool operator==(const ListenAddress&) const = default;
};

struct TlsConfig {
  // Empty: a self-signed certificate for `hostname` is generated into data_dir/tls on first start.
  std::filesystem::path certificate;
  std::filesystem::path private_key;
};

struct LimitsConfig {
  std::size_t max_connections = 10000;
  std::size_t max_connections_per_ip = 50;
  std::chrono::seconds idle_timeout{300};        // no byte from the client for this long: closed
  std::chrono::seconds session_timeout{86400};   // a connection's whole lifetime
  // IMAP autologout (RFC 9051 5.4): after authentication at least 30 minutes; before it, shorter (and never
  // longer than idle_timeout).
  std::chrono::seconds imap_idle_timeout{1800};
  std::chrono::seconds imap_preauth_timeout{60};
  // IDLE learns of changes made in this process at once; this slower poll catches other processes' writes.
  std::chrono::seconds imap_idle_poll{10};
  std::uint64_t max_message_bytes = 50ULL << 20; // SMTP SIZE, IMAP APPEND
  std::size_t max_recipients = 100;              // RCPT per transaction
  std::size_t max_line_bytes = 1000;             // SMTP text line incl. CRLF (RFC 5321 4.5.3.1.6)
  std::size_t max_command_bytes = 4096;          // SMTP command line incl. extensions
  // IMAP SEARCH BODY/TEXT/header keys: decoded text looked at per message (protocol/imap/search_text.h).
  std::size_t max_search_text_bytes = 32ULL << 20;
  // THREAD=REFERENCES: msg-ids taken from one References header, the last (nearest) ones (domain/mail/thread.h).
  std::size_t max_thread_references = 256;
  // IMAP FETCH: ENVELOPE/BODY/BODYSTRUCTURE strings kept in memory for all sessions (rendered_structure_cache.h).
  std::uint64_t imap_fetch_cache_bytes = 64ULL << 20;
};

// The per-account IMAP SEARCH index (docs/search-index.md): a prefilter for SEARCH BODY/TEXT, filled in the
// background. Off: every SEARCH BODY/TEXT reads every message, as before; the results are the same either way.
struct SearchConfig {
  bool index = true;
  std::size_t index_batch_messages = 200;  // messages the indexer adds per transaction
};

struct AuthConfig {
  unsigned max_failures_per_ip = 10;       // then the IP is banned for ban_time
  unsigned max_failures_per_account = 10;  // then the account is locked for ban_time (from every IP)
  std::chrono::milliseconds base_delay{250};  // delay after a failure, doubled per failure...
  std::chrono::milliseconds max_delay{8000};  // ...up to this
  std::chrono::seconds ban_time{900};
  std::chrono::seconds failure_window{3600};  // failures older than this are forgotten
  // argon2id cost (libsodium crypto_pwhash); OWASP's minimum is 19 MiB, 2 passes.
  std::uint64_t hash_memory_bytes = 19ULL << 20;
  unsigned hash_passes = 2;
};

struct SmtpConfig {
  // How DATA treats a bare LF or bare CR: "reject" (550 at end of data) or "normalize" (to CRLF).
  std::string bare_line_ending = "reject";
  // Submission: MAIL FROM and From: must be one of the user's own addresses or aliases.
  bool enforce_sender = true;
  std::string recipient_delimiter = "+";
  // Messages (MAIL commands) one client IP may start per minute on one SMTP listener; 0: no limit.
  unsigned max_messages_per_minute_per_ip = 120;
};

// The outbound delivery worker (src/delivery/). See README "Configuration", [delivery].
struct DeliveryConfig {
  bool enabled = true;                              // false: mail stays queued (e.g. a receive-only node)
  std::string resolver;                             // "ip:port" of the DNS server; empty: /etc/resolv.conf
  std::uint16_t port = 25;                          // destination port at MX hosts (tests use another)
  std::string helo_name;                            // EHLO name; empty: hostname
  std::chrono::seconds lifetime{5 * 86400};         // then the message bounces (RFC 5321 4.5.4.1: 4-5 days)
  std::chrono::seconds retry_base{300};             // first retry after this, doubled per attempt...
  std::chrono::seconds retry_max{4 * 3600};         // ...up to this
  std::chrono::seconds poll_interval{1};            // how often the worker looks for due messages
  std::size_t max_connections = 100;                // outbound connections in total
  std::size_t max_connections_per_domain = 4;       // per destination (domain or relay)
  std::size_t max_messages_per_connection = 100;    // then the connection is closed and a new one opened
  std::chrono::milliseconds connection_cache_time{2000};  // an idle connection waits this long for more mail; 0: none
  std::size_t max_messages_in_flight = 1000;        // messages the worker holds at once
  std::chrono::seconds connect_timeout{30};
  std::chrono::seconds command_timeout{300};        // RFC 5321 4.5.3.2: greeting, EHLO, MAIL, RCPT (5 min)
  std::chrono::seconds data_timeout{600};           // RFC 5321 4.5.3.2.6: reply to the final dot (10 min)
  std::vector<std::string> require_tls_domains;     // never deliver to these in clear (deferred instead)
  std::string relay_host;                           // smarthost "host:port"; empty: deliver by MX
  std::string relay_user;                           // AUTH PLAIN at the relay (only after STARTTLS)
  std::string relay_password;
  std::string dkim_dir;                             // DKIM keys; empty: data_dir/dkim
  // Transport security policy (docs/adr/0004-outbound.md "TLS policy"). Certificates are checked against the
  // system CA store plus tls_ca_file when TLS is required with authentication: MTA-STS enforce, REQUIRETLS,
  // require_tls_domains and the relay (relay_tls_verify); opportunistic STARTTLS stays unverified (RFC 7435).
  std::string tls_ca_file;                          // extra trusted CA certificates (PEM); empty: system store only
  bool relay_tls_verify = true;                     // the relay must offer STARTTLS with a certificate valid for relay_host
  bool mta_sts = true;                              // RFC 8461: look up, fetch, cache and apply MTA-STS policies
  std::uint16_t mta_sts_port = 443;                 // HTTPS port of mta-sts.<domain> (tests use another)
  bool mta_sts_allow_private_addresses = false;     // tests only: let the policy fetch reach loopback/private addresses
  std::chrono::seconds mta_sts_fetch_timeout{20};   // the whole policy fetch (connect, TLS, request, response)
  std::size_t mta_sts_max_policy_bytes = 64 * 1024; // a larger policy body is refused
  bool dnssec = true;                               // validate DNS answers (and so enforce DANE, RFC 7672)
  std::string dnssec_trust_anchor_file;             // DS/DNSKEY zone-file lines; empty: /usr/share/dns/root.key
};

// The HTTP front-end (listeners `http` and `https`) that serves CalDAV and CardDAV.
struct HttpConfig {
  std::size_t max_header_bytes = 16 * 1024;         // request line + headers; more: 431
  std::uint64_t max_body_bytes = 10ULL << 20;       // request body; more: 413
  std::size_t max_requests_per_connection = 1000;   // then the connection closes (Connection: close)
  unsigned max_requests_per_minute_per_ip = 6000;   // more: 429; 0: no limit
  std::chrono::seconds request_timeout{30};         // to receive one whole request once it started
  std::chrono::seconds keepalive_timeout{60};       // idle between requests
};

// CalDAV / CardDAV (RFC 4791, 6352) and the WebDAV core they use (RFC 4918).
struct DavConfig {
  std::size_t max_xml_depth = 32;                     // element nesting in a request body; deeper: 400
  std::size_t max_xml_elements = 10000;               // elements in a request body; more: 400
  std::uint64_t max_resource_bytes = 1ULL << 20;      // one iCalendar or vCard object; more: 413 / max-resource-size
  std::size_t max_recurrence_instances = 20000;       // occurrences one query expands per event; the rest is cut
  std::size_t max_multiget_hrefs = 1000;              // hrefs in one multiget REPORT
  std::size_t max_query_results = 10000;              // resources one REPORT answers (RFC 4791 9.7 number-of-matches-within-limits)
};

struct Config {
  std::filesystem::path source;  // the file it was read from, empty for built-in defaults
  std::filesystem::path data_dir = "./data";
  std::string hostname = "localhost";
  std::string run_as_user = "bulwark";  // used only when started as root
  std::string log_level = "info";
  unsigned threads = 0;           // 0: one per core
  unsigned blocking_threads = 0;  // threads for blocking calls (SQLite, fsync, argon2id); 0: 8 per core, at least 8
  // A delivered message for one account up to this size is kept in the account's database (one sync per
  // delivery, ADR 0003); larger ones and those for several accounts go to a blob file. 0: always blob files.
  std::uint64_t inline_message_bytes = 256 << 10;
  // Account databases' WAL (ADR 0003, "Checkpoints"): at this many pages a background thread copies it into the
  // database; at the maximum the committing delivery checkpoints it itself, so the WAL stays bounded.
  std::uint32_t wal_checkpoint_pages = 1000;
  std::uint32_t wal_max_pages = 16384;
  bool allow_plaintext_auth_on_loopback = true;
  std::map<Protocol, ListenAddress> listen;
  TlsConfig tls;
  LimitsConfig limits;
  AuthConfig auth;
  SmtpConfig smtp;
  DeliveryConfig delivery;
  HttpConfig http;
  DavConfig dav;
  SearchConfig search;
};

}  // namespace bulwark

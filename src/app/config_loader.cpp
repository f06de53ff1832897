#include "app/config_loader.h"

#include <fstream>
#include <functional>
#include <sstream>
#include <unordered_map>

#include <toml++/toml.h>

#include "base/units.h"

namespace bulwark::app {
namespace {

// The dotted name of a key for error messages ("limits.max_connections").
std::string key_name(std::string_view table, std::string_view key) {
  return table.empty() ? std::string(key) : std::string(table) + "." + std::string(key);
}

Error bad(std::string_view key, std::string_view reason) {
  return Error{Errc::invalid_argument, "config: " + std::string(key) + ": " + std::string(reason)};
}

Result<std::string> as_string(const toml::node& node, std::string_view key) {
  if (auto value = node.value<std::string>(); value && node.is_string()) return *value;
  return tl::unexpected(bad(key, "expected a string"));
}

Result<std::int64_t> as_integer(const toml::node& node, std::string_view key, std::int64_t min, std::int64_t max) {
  if (!node.is_integer()) return tl::unexpected(bad(key, "expected an integer"));
  auto value = *node.value<std::int64_t>();
  if (value < min || value > max) {
    return tl::unexpected(bad(key, "must be between " + std::to_string(min) + " and " + std::to_string(max)));
  }
  return value;
}

Result<bool> as_bool(const toml::node& node, std::string_view key) {
  if (!node.is_boolean()) return tl::unexpected(bad(key, "expected true or false"));
  return *node.value<bool>();
}

// Sizes may be written as integers (bytes) or strings ("25M").
Result<std::uint64_t> as_size(const toml::node& node, std::string_view key) {
  if (node.is_integer()) {
    auto v = *node.value<std::int64_t>();
    if (v < 0) return tl::unexpected(bad(key, "must not be negative"));
    return static_cast<std::uint64_t>(v);
  }
  if (!node.is_string()) return tl::unexpected(bad(key, "expected a size such as 25M or a number of bytes"));
  auto parsed = parse_size(*node.value<std::string>());
  if (!parsed) return tl::unexpected(bad(key, parsed.error().detail));
  return *parsed;
}

// Durations may be integers (seconds) or strings ("30s", "5m").
Result<std::chrono::seconds> as_duration(const toml::node& node, std::string_view key) {
  if (node.is_integer()) {
    auto v = *node.value<std::int64_t>();
    if (v < 0) return tl::unexpected(bad(key, "must not be negative"));
    return std::chrono::seconds(v);
  }
  if (!node.is_string()) return tl::unexpected(bad(key, "expected a duration such as 30s, 5m or 2h"));
  auto parsed = parse_duration(*node.value<std::string>());
  if (!parsed) return tl::unexpected(bad(key, parsed.error().detail));
  return *parsed;
}

Result<ListenAddress> parse_listen(const std::string& text, std::string_view key) {
  ListenAddress out;
  std::string port;
  if (text.starts_with("[")) {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return tl::unexpected(bad(key, "expected \"[ipv6]:port\""));
    }
    out.host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) return tl::unexpected(bad(key, "expected \"address:port\", e.g. \"127.0.0.1:2525\""));
    out.host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (out.host.empty()) return tl::unexpected(bad(key, "missing address before the port"));
  for (char c : out.host) {
    bool ok = std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':';
    if (!ok) return tl::unexpected(bad(key, "the address must be numeric (e.g. 127.0.0.1, 0.0.0.0, ::1)"));
  }
  int value = 0;
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      (value = std::stoi(port)) < 1 || value > 65535) {
    return tl::unexpected(bad(key, "port must be 1-65535"));
  }
  out.port = static_cast<std::uint16_t>(value);
  return out;
}

using Handler = std::function<Status(const toml::node&, const std::string& key, Config&)>;
using Table = std::unordered_map<std::string, Handler>;

Status walk(const toml::table& table, std::string_view prefix, const Table& handlers, Config& config) {
  for (const auto& [k, node] : table) {
    std::string key = key_name(prefix, k.str());
    auto it = handlers.find(std::string(k.str()));
    if (it == handlers.end()) return tl::unexpected(bad(key, "unknown key"));
    BULWARK_TRY(it->second(node, key, config));
  }
  return ok();
}

template <class Field>
Handler string_field(Field field) {
  return [field](const toml::node& n, const std::string& key, Config& c) -> Status {
    BULWARK_TRY_ASSIGN(auto v, as_string(n, key));
    field(c) = v;
    return ok();
  };
}

Handler section(Table handlers) {
  return [handlers = std::move(handlers)](const toml::node& n, const std::string& key, Config& c) -> Status {
    if (!n.is_table()) return tl::unexpected(bad(key, "expected a table [" + key + "]"));
    return walk(*n.as_table(), key, handlers, c);
  };
}

#define SIZE_FIELD(member)                                                         \
  [](const toml::node& n, const std::string& key, Config& c) -> Status {           \
    BULWARK_TRY_ASSIGN(auto v, as_size(n, key));                                   \
    c.member = static_cast<decltype(c.member)>(v);                                 \
    return ok();                                                                   \
  }
#define DURATION_FIELD(member)                                                     \
  [](const toml::node& n, const std::string& key, Config& c) -> Status {           \
    BULWARK_TRY_ASSIGN(auto v, as_duration(n, key));                               \
    c.member = std::chrono::duration_cast<decltype(c.member)>(v);                  \
    return ok();                                                                   \
  }
#define INT_FIELD(member, min, max)                                                \
  [](const toml::node& n, const std::string& key, Config& c) -> Status {           \
    BULWARK_TRY_ASSIGN(auto v, as_integer(n, key, min, max));                      \
    c.member = static_cast<decltype(c.member)>(v);                                 \
    return ok();                                                                   \
  }
#define BOOL_FIELD(member)                                                         \
  [](const toml::node& n, const std::string& key, Config& c) -> Status {           \
    BULWARK_TRY_ASSIGN(auto v, as_bool(n, key));                                   \
    c.member = v;                                                                  \
    return ok();                                                                   \
  }

Handler string_list(std::vector<std::string> DeliveryConfig::*member) {
  return [member](const toml::node& n, const std::string& key, Config& c) -> Status {
    if (!n.is_array()) return tl::unexpected(bad(key, "expected an array of strings"));
    std::vector<std::string> out;
    for (const auto& item : *n.as_array()) {
      BULWARK_TRY_ASSIGN(auto v, as_string(item, key));
      for (auto& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      out.push_back(std::move(v));
    }
    c.delivery.*member = std::move(out);
    return ok();
  };
}

Table root_handlers() {
  Table listen;
  for (auto name : {"smtp", "submission", "submissions", "imap", "imaps", "pop3s", "http", "https"}) {
    listen[name] = [name](const toml::node& n, const std::string& key, Config& c) -> Status {
      BULWARK_TRY_ASSIGN(auto text, as_string(n, key));
      BULWARK_TRY_ASSIGN(auto address, parse_listen(text, key));
      c.listen[*protocol_from_name(name)] = address;
      return ok();
    };
  }
  return Table{
      {"data_dir", string_field([](Config& c) -> std::filesystem::path& { return c.data_dir; })},
      {"hostname", string_field([](Config& c) -> std::string& { return c.hostname; })},
      {"user", string_field([](Config& c) -> std::string& { return c.run_as_user; })},
      {"log_level",
       [](const toml::node& n, const std::string& key, Config& c) -> Status {
         BULWARK_TRY_ASSIGN(auto v, as_string(n, key));
         if (v != "trace" && v != "debug" && v != "info" && v != "warn" && v != "error") {
           return tl::unexpected(bad(key, "must be one of trace, debug, info, warn, error"));
         }
         c.log_level = v;
         return ok();
       }},
      {"threads", INT_FIELD(threads, 0, 256)},
      {"blocking_threads", INT_FIELD(blocking_threads, 0, 1024)},
      {"inline_message_size", SIZE_FIELD(inline_message_bytes)},
      {"wal_checkpoint_pages", INT_FIELD(wal_checkpoint_pages, 1, 1000000)},
      {"wal_max_pages", INT_FIELD(wal_max_pages, 0, 10000000)},
      {"allow_plaintext_auth_on_loopback", BOOL_FIELD(allow_plaintext_auth_on_loopback)},
      {"listen", section(std::move(listen))},
      {"tls", section(Table{
                  {"certificate", string_field([](Config& c) -> std::filesystem::path& { return c.tls.certificate; })},
                  {"private_key", string_field([](Config& c) -> std::filesystem::path& { return c.tls.private_key; })},
              })},
      {"limits", section(Table{
                     {"max_connections", INT_FIELD(limits.max_connections, 1, 1000000)},
                     {"max_connections_per_ip", INT_FIELD(limits.max_connections_per_ip, 1, 1000000)},
                     {"idle_timeout", DURATION_FIELD(limits.idle_timeout)},
                     {"session_timeout", DURATION_FIELD(limits.session_timeout)},
                     {"imap_idle_timeout", DURATION_FIELD(limits.imap_idle_timeout)},
                     {"imap_preauth_timeout", DURATION_FIELD(limits.imap_preauth_timeout)},
                     {"imap_idle_poll", DURATION_FIELD(limits.imap_idle_poll)},
                     {"max_message_size", SIZE_FIELD(limits.max_message_bytes)},
                     {"max_recipients", INT_FIELD(limits.max_recipients, 1, 100000)},
                     {"max_line_length", INT_FIELD(limits.max_line_bytes, 78, 1000000)},
                     {"max_command_length", INT_FIELD(limits.max_command_bytes, 512, 1000000)},
                     {"max_search_text_size", SIZE_FIELD(limits.max_search_text_bytes)},
                     {"max_thread_references", INT_FIELD(limits.max_thread_references, 1, 100000)},
                     {"imap_fetch_cache_size", SIZE_FIELD(limits.imap_fetch_cache_bytes)},
                 })},
      {"auth", section(Table{
                   {"max_failures_per_ip", INT_FIELD(auth.max_failures_per_ip, 1, 1000000)},
                   {"max_failures_per_account", INT_FIELD(auth.max_failures_per_account, 1, 1000000)},
                   {"base_delay_ms", [](const toml::node& n, const std::string& key, Config& c) -> Status {
                      BULWARK_TRY_ASSIGN(auto v, as_integer(n, key, 0, 60000));
                      c.auth.base_delay = std::chrono::milliseconds(v);
                      return ok();
                    }},
                   {"max_delay_ms", [](const toml::node& n, const std::string& key, Config& c) -> Status {
                      BULWARK_TRY_ASSIGN(auto v, as_integer(n, key, 0, 600000));
                      c.auth.max_delay = std::chrono::milliseconds(v);
                      return ok();
                    }},
                   {"ban_time", DURATION_FIELD(auth.ban_time)},
                   {"failure_window", DURATION_FIELD(auth.failure_window)},
                   {"hash_memory", SIZE_FIELD(auth.hash_memory_bytes)},
                   {"hash_passes", INT_FIELD(auth.hash_passes, 1, 100)},
               })},
      {"smtp", section(Table{
                   {"bare_line_ending", [](const toml::node& n, const std::string& key, Config& c) -> Status {
                      BULWARK_TRY_ASSIGN(auto v, as_string(n, key));
                      if (v != "reject" && v != "normalize") return tl::unexpected(bad(key, "must be \"reject\" or \"normalize\""));
                      c.smtp.bare_line_ending = v;
                      return ok();
                    }},
                   {"enforce_sender", BOOL_FIELD(smtp.enforce_sender)},
                   {"recipient_delimiter", string_field([](Config& c) -> std::string& { return c.smtp.recipient_delimiter; })},
                   {"max_messages_per_minute_per_ip", INT_FIELD(smtp.max_messages_per_minute_per_ip, 0, 1000000)},
               })},
      {"delivery", section(Table{
                       {"enabled", BOOL_FIELD(delivery.enabled)},
                       {"resolver", string_field([](Config& c) -> std::string& { return c.delivery.resolver; })},
                       {"port", INT_FIELD(delivery.port, 1, 65535)},
                       {"helo_name", string_field([](Config& c) -> std::string& { return c.delivery.helo_name; })},
                       {"lifetime", DURATION_FIELD(delivery.lifetime)},
                       {"retry_base", DURATION_FIELD(delivery.retry_base)},
                       {"retry_max", DURATION_FIELD(delivery.retry_max)},
                       {"poll_interval", DURATION_FIELD(delivery.poll_interval)},
                       {"max_connections", INT_FIELD(delivery.max_connections, 1, 100000)},
                       {"max_connections_per_domain", INT_FIELD(delivery.max_connections_per_domain, 1, 1000)},
                       {"max_messages_per_connection", INT_FIELD(delivery.max_messages_per_connection, 1, 1000000)},
                       {"connection_cache_time", DURATION_FIELD(delivery.connection_cache_time)},
                       {"max_messages_in_flight", INT_FIELD(delivery.max_messages_in_flight, 1, 1000000)},
                       {"connect_timeout", DURATION_FIELD(delivery.connect_timeout)},
                       {"command_timeout", DURATION_FIELD(delivery.command_timeout)},
                       {"data_timeout", DURATION_FIELD(delivery.data_timeout)},
                       {"require_tls_domains", string_list(&DeliveryConfig::require_tls_domains)},
                       {"relay_host", string_field([](Config& c) -> std::string& { return c.delivery.relay_host; })},
                       {"relay_user", string_field([](Config& c) -> std::string& { return c.delivery.relay_user; })},
                       {"relay_password", string_field([](Config& c) -> std::string& { return c.delivery.relay_password; })},
                       {"dkim_dir", string_field([](Config& c) -> std::string& { return c.delivery.dkim_dir; })},
                       {"tls_ca_file", string_field([](Config& c) -> std::string& { return c.delivery.tls_ca_file; })},
                       {"relay_tls_verify", BOOL_FIELD(delivery.relay_tls_verify)},
                       {"mta_sts", BOOL_FIELD(delivery.mta_sts)},
                       {"mta_sts_port", INT_FIELD(delivery.mta_sts_port, 1, 65535)},
                       {"mta_sts_allow_private_addresses", BOOL_FIELD(delivery.mta_sts_allow_private_addresses)},
                       {"mta_sts_fetch_timeout", DURATION_FIELD(delivery.mta_sts_fetch_timeout)},
                       {"mta_sts_max_policy_size", SIZE_FIELD(delivery.mta_sts_max_policy_bytes)},
                       {"dnssec", BOOL_FIELD(delivery.dnssec)},
                       {"dnssec_trust_anchor_file", string_field([](Config& c) -> std::string& { return c.delivery.dnssec_trust_anchor_file; })},
                   })},
      {"search", section(Table{
                     {"index", BOOL_FIELD(search.index)},
                     {"index_batch_messages", INT_FIELD(search.index_batch_messages, 1, 100000)},
                 })},
      {"http", section(Table{
                   {"max_header_size", SIZE_FIELD(http.max_header_bytes)},
                   {"max_body_size", SIZE_FIELD(http.max_body_bytes)},
                   {"max_requests_per_connection", INT_FIELD(http.max_requests_per_connection, 1, 1000000)},
                   {"max_requests_per_minute_per_ip", INT_FIELD(http.max_requests_per_minute_per_ip, 0, 10000000)},
                   {"request_timeout", DURATION_FIELD(http.request_timeout)},
                   {"keepalive_timeout", DURATION_FIELD(http.keepalive_timeout)},
               })},
      {"dav", section(Table{
                  {"max_xml_depth", INT_FIELD(dav.max_xml_depth, 4, 1000)},
                  {"max_xml_elements", INT_FIELD(dav.max_xml_elements, 16, 10000000)},
                  {"max_resource_size", SIZE_FIELD(dav.max_resource_bytes)},
                  {"max_recurrence_instances", INT_FIELD(dav.max_recurrence_instances, 1, 100000000)},
                  {"max_multiget_hrefs", INT_FIELD(dav.max_multiget_hrefs, 1, 1000000)},
                  {"max_query_results", INT_FIELD(dav.max_query_results, 1, 10000000)},
              })},
  };
}

Status validate(const Config& c) {
  if (c.data_dir.empty()) return tl::unexpected(bad("data_dir", "must not be empty"));
  if (c.hostname.empty() || c.hostname.find_first_of(" \t\r\n/") != std::string::npos) {
    return tl::unexpected(bad("hostname", "must be a host name"));
  }
  if (c.tls.certificate.empty() != c.tls.private_key.empty()) {
    return tl::unexpected(bad("tls", "set both certificate and private_key, or neither (self-signed)"));
  }
  if (c.auth.hash_memory_bytes < (8ULL << 10) || c.auth.hash_memory_bytes > (4ULL << 30)) {
    return tl::unexpected(bad("auth.hash_memory", "must be between 8K and 4G"));
  }
  if (c.smtp.recipient_delimiter.size() > 1 ||
      (c.smtp.recipient_delimiter.size() == 1 && std::string_view("+-_.=").find(c.smtp.recipient_delimiter[0]) == std::string_view::npos)) {
    return tl::unexpected(bad("smtp.recipient_delimiter", "must be empty or one of + - _ . ="));
  }
  if (c.delivery.retry_base.count() < 1) return tl::unexpected(bad("delivery.retry_base", "must be at least 1s"));
  if (c.delivery.retry_max < c.delivery.retry_base) {
    return tl::unexpected(bad("delivery.retry_max", "must not be below delivery.retry_base"));
  }
  if (c.delivery.poll_interval.count() < 1) return tl::unexpected(bad("delivery.poll_interval", "must be at least 1s"));
  for (const auto* endpoint : {&c.delivery.resolver, &c.delivery.relay_host}) {
    if (!endpoint->empty() && endpoint->rfind(':') == std::string::npos) {
      return tl::unexpected(bad(endpoint == &c.delivery.resolver ? "delivery.resolver" : "delivery.relay_host",
                                "expected \"host:port\""));
    }
  }
  if (!c.delivery.relay_user.empty() && c.delivery.relay_host.empty()) {
    return tl::unexpected(bad("delivery.relay_user", "needs delivery.relay_host"));
  }
  std::map<std::pair<std::string, std::uint16_t>, Protocol> seen;
  for (const auto& [protocol, address] : c.listen) {
    auto [it, inserted] = seen.emplace(std::pair{address.host, address.port}, protocol);
    if (!inserted) {
      return tl::unexpected(bad("listen." + std::string(protocol_name(protocol)),
                                "address " + address.to_string() + " is also used by listen." +
                                    std::string(protocol_name(it->second))));
    }
  }
  return ok();
}

}  // namespace

Result<Config> load_config_text(std::string_view text, const std::filesystem::path& source) {
  toml::table root;
  try {
    root = toml::parse(text, source.string());
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return fail(Errc::invalid_argument, "config: " + source.string() + ":" + std::to_string(where.line) + ":" +
                                            std::to_string(where.column) + ": " + std::string(e.description()));
  }
  Config config;
  config.source = source;
  BULWARK_TRY(walk(root, "", root_handlers(), config));
  BULWARK_TRY(validate(config));
  if (!source.empty() && config.data_dir.is_relative()) {
    // Relative paths are relative to the configuration file, not to wherever the admin happened to be.
    config.data_dir = std::filesystem::absolute(source).parent_path() / config.data_dir;
  }
  if (!source.empty() && !config.delivery.dkim_dir.empty() && std::filesystem::path(config.delivery.dkim_dir).is_relative()) {
    config.delivery.dkim_dir = (std::filesystem::absolute(source).parent_path() / config.delivery.dkim_dir).string();
  }
  auto& anchor = config.delivery.dnssec_trust_anchor_file;
  if (!source.empty() && !anchor.empty() && std::filesystem::path(anchor).is_relative()) {
    anchor = (std::filesystem::absolute(source).parent_path() / anchor).string();
  }
  for (auto* p : {&config.tls.certificate, &config.tls.private_key}) {
    if (!source.empty() && !p->empty() && p->is_relative()) *p = std::filesystem::absolute(source).parent_path() / *p;
  }
  config.data_dir = config.data_dir.lexically_normal();
  return config;
}

Result<Config> load_config_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Errc::not_found, "config: cannot read " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return load_config_text(buffer.str(), path);
}

Config with_default_listeners(Config config) {
  config.listen = {
      {Protocol::smtp, {"127.0.0.1", 2525}},       {Protocol::submission, {"127.0.0.1", 2587}},
      {Protocol::submissions, {"127.0.0.1", 2465}}, {Protocol::imap, {"127.0.0.1", 2143}},
      {Protocol::imaps, {"127.0.0.1", 2993}},      {Protocol::pop3s, {"127.0.0.1", 2995}},
      {Protocol::http, {"127.0.0.1", 8080}},       {Protocol::https, {"127.0.0.1", 8443}},
  };
  return config;
}

Result<std::optional<std::filesystem::path>> find_config_file(const std::optional<std::string>& flag) {
  std::error_code ec;
  if (flag) {
    if (!std::filesystem::exists(*flag, ec)) return fail(Errc::not_found, "config: " + *flag + " does not exist");
    return std::optional<std::filesystem::path>(*flag);
  }
  for (const char* candidate : {"./bulwark.toml", "/etc/bulwark/bulwark.toml"}) {
    if (std::filesystem::exists(candidate, ec)) return std::optional<std::filesystem::path>(candidate);
  }
  return std::optional<std::filesystem::path>();
}

}  // namespace bulwark::app

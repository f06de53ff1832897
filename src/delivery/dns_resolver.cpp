#include "delivery/dns_resolver.h"

#include <arpa/inet.h>
#include <unbound.h>

#include <algorithm>
#include <fstream>

namespace bulwark::delivery {
namespace {

constexpr int kTypeA = 1;
constexpr int kTypeMx = 15;
constexpr int kTypeAaaa = 28;
constexpr int kTypeTxt = 16;
constexpr int kTypeTlsa = 52;
constexpr int kClassIn = 1;
constexpr int kRcodeNxdomain = 3;

struct ResultDeleter {
  void operator()(ub_result* r) const { ub_resolve_free(r); }
};
using UbResult = std::unique_ptr<ub_result, ResultDeleter>;

Result<UbResult> query(ub_ctx* ctx, const std::string& name, int type) {
  ub_result* raw = nullptr;
  int rc = ub_resolve(ctx, name.c_str(), type, kClassIn, &raw);
  UbResult result(raw);
  if (rc != 0) return fail(Errc::temporary_failure, "DNS " + name + ": " + ub_strerror(rc));
  if (result->bogus) {
    std::string why = result->why_bogus ? std::string(": ") + result->why_bogus : std::string();
    return fail(Errc::temporary_failure, "DNS " + name + ": DNSSEC validation failed" + why);
  }
  if (result->rcode != 0 && result->rcode != kRcodeNxdomain) {
    return fail(Errc::temporary_failure, "DNS " + name + ": server failure (rcode " + std::to_string(result->rcode) + ")");
  }
  return result;
}

// A domain name in DNS wire format, uncompressed (libunbound expands names inside rdata).
std::string wire_name(const unsigned char* p, std::size_t len) {
  std::string out;
  std::size_t i = 0;
  while (i < len) {
    std::size_t label = p[i++];
    if (label == 0 || label > 63 || i + label > len) break;
    if (!out.empty()) out += '.';
    for (std::size_t k = 0; k < label; ++k) {
      out += static_cast<char>(std::tolower(p[i + k]));
    }
    i += label;
  }
  return out;
}

}  // namespace

Result<std::vector<std::string>> read_trust_anchors(const std::string& path) {
  std::ifstream in(path);
  if (!in) return fail(Errc::invalid_argument, "cannot read DNSSEC trust anchor file " + path);
  std::vector<std::string> out;
  std::string record, line;
  int open_parens = 0;
  while (std::getline(in, line)) {
    if (auto comment = line.find(';'); comment != std::string::npos) line.erase(comment);
    for (char c : line) open_parens += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (line.find_first_not_of(" \t\r") == std::string::npos && record.empty()) continue;
    record += line + " ";
    if (open_parens > 0) continue;  // a record over several lines in parentheses
    for (auto& c : record) {
      if (c == '(' || c == ')' || c == '\t' || c == '\r') c = ' ';
    }
    if (record.find_first_not_of(' ') != std::string::npos) out.push_back(record);
    record.clear();
    open_parens = 0;
  }
  if (out.empty()) return fail(Errc::invalid_argument, "no trust anchor records in " + path);
  return out;
}

Result<std::pair<std::string, std::uint16_t>> split_host_port(const std::string& text) {
  std::string host, port;
  if (text.starts_with("[")) {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return fail(Errc::invalid_argument, "expected [ipv6]:port in '" + text + "'");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) return fail(Errc::invalid_argument, "expected host:port in '" + text + "'");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) {
    return fail(Errc::invalid_argument, "expected host:port in '" + text + "'");
  }
  int value = std::stoi(port);
  if (value < 1 || value > 65535) return fail(Errc::invalid_argument, "port out of range in '" + text + "'");
  return std::pair{host, static_cast<std::uint16_t>(value)};
}

bool is_ip_literal(const std::string& host) {
  unsigned char buf[16];
  return ::inet_pton(AF_INET, host.c_str(), buf) == 1 || ::inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

Result<std::unique_ptr<DnsResolver>> DnsResolver::create(const std::string& server) {
  return create(server, DnssecSettings{});
}

Result<std::unique_ptr<DnsResolver>> DnsResolver::create(const std::string& server, const DnssecSettings& dnssec) {
  ub_ctx* ctx = ub_ctx_create();
  if (!ctx) return fail(Errc::internal, "libunbound: cannot create a context");
  std::unique_ptr<DnsResolver> resolver(new DnsResolver(ctx));
  int rc = 0;
  if (server.empty()) {
    rc = ub_ctx_resolvconf(ctx, nullptr);
  } else {
    BULWARK_TRY_ASSIGN(auto hp, split_host_port(server));
    if (!is_ip_literal(hp.first)) return fail(Errc::invalid_argument, "delivery.resolver must be a numeric address");
    std::string fwd = hp.first + "@" + std::to_string(hp.second);
    rc = ub_ctx_set_fwd(ctx, fwd.c_str());
    // The configured server may be on loopback (a local resolver, or the tests' DNS server).
    if (rc == 0) rc = ub_ctx_set_option(ctx, "do-not-query-localhost:", "no");
  }
  if (rc != 0) return fail(Errc::invalid_argument, std::string("libunbound: ") + ub_strerror(rc));
  if (dnssec.enabled && !dnssec.trust_anchor_file.empty()) {
    // A static anchor: Debian's dns-root-data package keeps root.key current, so no RFC 5011 state is needed.
    // libunbound would read a ta file only at its first query, after the sandbox closed the file system, so
    // the records are read here and handed over as text.
    BULWARK_TRY_ASSIGN(auto anchors, read_trust_anchors(dnssec.trust_anchor_file));
    for (const auto& anchor : anchors) {
      rc = ub_ctx_add_ta(ctx, anchor.c_str());
      if (rc != 0) break;
    }
    // A query of local data (no network) makes libunbound set itself up now: a malformed anchor fails the
    // start, not every later lookup.
    ub_result* probe = nullptr;
    if (rc == 0) rc = ub_resolve(ctx, "localhost.", kTypeA, kClassIn, &probe);
    if (probe) ub_resolve_free(probe);
    if (rc != 0) {
      return fail(Errc::invalid_argument, "DNSSEC trust anchor " + dnssec.trust_anchor_file + ": " + ub_strerror(rc));
    }
    resolver->validates_ = true;
  }
  return resolver;
}

DnsResolver::~DnsResolver() { ub_ctx_delete(ctx_); }

Result<std::vector<std::string>> DnsResolver::lookup_txt(const std::string& name) {
  BULWARK_TRY_ASSIGN(auto result, query(ctx_, name, kTypeTxt));
  std::vector<std::string> out;
  if (result->nxdomain) return out;
  for (int i = 0; result->havedata && result->data[i] != nullptr; ++i) {
    auto len = static_cast<std::size_t>(result->len[i]);
    auto* p = reinterpret_cast<const unsigned char*>(result->data[i]);
    std::string text;
    for (std::size_t k = 0; k < len;) {  // <length><bytes> character-strings
      std::size_t n = p[k++];
      if (k + n > len) break;
      text.append(reinterpret_cast<const char*>(p + k), n);
      k += n;
    }
    out.push_back(std::move(text));
  }
  return out;
}

Result<std::vector<MxHost>> DnsResolver::lookup_mx(const std::string& domain, bool* secure) {
  BULWARK_TRY_ASSIGN(auto result, query(ctx_, domain, kTypeMx));
  if (secure) *secure = result->secure != 0;
  if (result->nxdomain) return fail(Errc::not_found, "domain " + domain + " does not exist");
  std::vector<MxHost> out;
  for (int i = 0; result->havedata && result->data[i] != nullptr; ++i) {
    auto len = static_cast<std::size_t>(result->len[i]);
    if (len < 3) continue;
    auto* p = reinterpret_cast<const unsigned char*>(result->data[i]);
    MxHost mx;
    mx.preference = static_cast<std::uint16_t>((p[0] << 8) | p[1]);
    mx.name = wire_name(p + 2, len - 2);
    out.push_back(std::move(mx));
  }
  // RFC 7505 3: a single MX with preference 0 and the root as exchange says "no mail here".
  if (out.size() == 1 && out.front().name.empty()) {
    return fail(Errc::permission_denied, "domain " + domain + " accepts no mail (null MX)");
  }
  std::erase_if(out, [](const MxHost& mx) { return mx.name.empty(); });
  std::stable_sort(out.begin(), out.end(), [](const MxHost& a, const MxHost& b) { return a.preference < b.preference; });
  return out;
}

Result<std::vector<std::string>> DnsResolver::lookup_addresses(const std::string& host, bool* secure) {
  std::vector<std::string> out;
  bool any_answer = false;
  bool all_secure = true;
  Error last{Errc::not_found, "host " + host + " has no address"};
  for (int type : {kTypeA, kTypeAaaa}) {
    auto result = query(ctx_, host, type);
    if (!result) {
      last = result.error();
      continue;
    }
    any_answer = true;
    all_secure = all_secure && (*result)->secure != 0;
    for (int i = 0; (*result)->havedata && (*result)->data[i] != nullptr; ++i) {
      char text[INET6_ADDRSTRLEN] = {};
      auto len = (*result)->len[i];
      if (type == kTypeA && len == 4) ::inet_ntop(AF_INET, (*result)->data[i], text, sizeof text);
      else if (type == kTypeAaaa && len == 16) ::inet_ntop(AF_INET6, (*result)->data[i], text, sizeof text);
      else continue;
      out.emplace_back(text);
    }
  }
  if (!any_answer) return tl::unexpected(last);
  if (secure) *secure = all_secure;
  return out;
}

Result<TlsaAnswer> DnsResolver::lookup_tlsa(const std::string& host, std::uint16_t port) {
  BULWARK_TRY_ASSIGN(auto result, query(ctx_, parse::dns::tlsa_owner(port, host), kTypeTlsa));
  TlsaAnswer out;
  out.secure = result->secure != 0;
  for (int i = 0; result->havedata && result->data[i] != nullptr; ++i) {
    std::string_view rdata(result->data[i], static_cast<std::size_t>(result->len[i]));
    auto record = parse::dns::parse_tlsa_rdata(rdata);
    // A malformed record is simply not usable; the RRset still exists (RFC 7672 2.2: TLS stays mandatory).
    if (!record) record = parse::dns::TlsaRecord{255, 255, 255, std::string(rdata)};
    out.records.push_back(std::move(*record));
  }
  return out;
}

Result<std::vector<RouteHost>> DnsResolver::route(const std::string& domain, std::size_t max_hosts) {
  bool mx_secure = false;
  BULWARK_TRY_ASSIGN(auto mxs, lookup_mx(domain, &mx_secure));
  bool implicit = mxs.empty();
  if (implicit) mxs.push_back(MxHost{domain, 0});  // RFC 5321 5.1: the domain itself, preference 0
  std::vector<RouteHost> out;
  Error last{Errc::temporary_failure, "no MX host of " + domain + " has an address"};
  for (const auto& mx : mxs) {
    if (out.size() >= max_hosts) break;
    bool addresses_secure = false;
    auto addresses = lookup_addresses(mx.name, &addresses_secure);
    if (!addresses) {
      last = addresses.error();
      continue;
    }
    if (addresses->empty()) {
      last = Error{Errc::not_found, "host " + mx.name + " has no address"};
      continue;
    }
    out.push_back(RouteHost{mx.name, std::move(*addresses), mx_secure && addresses_secure});
  }
  if (out.empty()) {
    // Neither MX nor address records: nothing will ever accept mail for it.
    if (implicit && last.code != Errc::temporary_failure) {
      return fail(Errc::not_found, "domain " + domain + " has no MX and no address");
    }
    if (last.code == Errc::not_found) last.code = Errc::temporary_failure;
    return tl::unexpected(last);
  }
  return out;
}

}  // namespace bulwark::delivery

#include "base/config.h"

#include <array>
#include <utility>

#include <fmt/format.h>

namespace bulwark {
namespace {
constexpr std::array<std::pair<Protocol, std::string_view>, 8> kProtocolNames{{
    {Protocol::smtp, "smtp"},
    {Protocol::submission, "submission"},
    {Protocol::submissions, "submissions"},
    {Protocol::imap, "imap"},
    {Protocol::imaps, "imaps"},
    {Protocol::pop3s, "pop3s"},
    {Protocol::http, "http"},
    {Protocol::https, "https"},
}};
}  // namespace

std::string_view protocol_name(Protocol protocol) {
  for (const auto& [p, name] : kProtocolNames) {
    if (p == protocol) return name;
  }
  return "unknown";
}

std::optional<Protocol> protocol_from_name(std::string_view name) {
  for (const auto& [p, n] : kProtocolNames) {
    if (n == name) return p;
  }
  return std::nullopt;
}

bool is_implicit_tls(Protocol protocol) {
  return protocol == Protocol::submissions || protocol == Protocol::imaps || protocol == Protocol::pop3s ||
         protocol == Protocol::https;
}

std::string ListenAddress::to_string() const {
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

}  // namespace bulwark

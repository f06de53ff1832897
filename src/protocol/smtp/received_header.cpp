#include "protocol/smtp/received_header.h"

#include <array>

#include <fmt/format.h>

namespace bulwark::protocol::smtp {

std::string_view with_protocol(bool esmtp, bool tls, bool authenticated) {
  if (!esmtp) return "SMTP";
  if (tls && authenticated) return "ESMTPSA";
  if (tls) return "ESMTPS";
  if (authenticated) return "ESMTPA";
  return "ESMTP";
}

std::string format_received(const ReceivedInfo& info) {
  // RFC 5321 4.4: Extended-Domain = Domain FWS "(" TCP-info ")"; TCP-info = address-literal.
  const bool v6 = info.peer_ip.find(':') != std::string::npos;
  std::string literal = v6 ? "[IPv6:" + info.peer_ip + "]" : "[" + info.peer_ip + "]";
  std::string out = fmt::format("Received: from {} ({})\r\n\tby {} (Bulwark) with {}", info.helo, literal,
                                info.by_host, with_protocol(info.esmtp, info.tls, info.authenticated));
  if (info.tls && !info.tls_description.empty()) out += fmt::format("\r\n\t({})", info.tls_description);
  out += fmt::format("\r\n\tid {}", info.id);
  if (!info.for_recipient.empty()) out += fmt::format("\r\n\tfor <{}>", info.for_recipient);
  out += fmt::format(";\r\n\t{}\r\n", rfc5322_date(info.when));
  return out;
}

std::string format_return_path(std::string_view sender) { return fmt::format("Return-Path: <{}>\r\n", sender); }

}  // namespace bulwark::protocol::smtp

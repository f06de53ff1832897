#include "delivery/dsn.h"

#include <ctime>

#include <fmt/format.h>

namespace bulwark::delivery {
namespace {

bool contains_keyword(std::string_view list, std::string_view keyword) {
  std::size_t pos = 0;
  while (pos <= list.size()) {
    auto end = list.find(',', pos);
    if (end == std::string_view::npos) end = list.size();
    auto item = list.substr(pos, end - pos);
    if (item.size() == keyword.size()) {
      bool same = true;
      for (std::size_t i = 0; i < item.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(item[i])) != keyword[i]) same = false;
      }
      if (same) return true;
    }
    pos = end + 1;
  }
  return false;
}

// Everything up to the first empty line (the original's header), CRLF line ends kept.
std::string_view header_of(std::string_view message) {
  auto end = message.find("\r\n\r\n");
  if (end != std::string_view::npos) return message.substr(0, end + 2);
  end = message.find("\n\n");
  return end == std::string_view::npos ? message : message.substr(0, end + 1);
}

// Keeps header field values on one line and free of CR/LF whatever the remote server said.
std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) out += (c == '\r' || c == '\n') ? ' ' : c;
  if (out.size() > 900) out.resize(900);
  return out;
}

}  // namespace

std::string_view dsn_action_name(DsnAction action) {
  switch (action) {
    case DsnAction::failed: return "failed";
    case DsnAction::delayed: return "delayed";
    case DsnAction::delivered: return "delivered";
    case DsnAction::relayed: return "relayed";
  }
  return "failed";
}

bool should_notify(std::string_view notify, DsnAction action) {
  if (notify.empty()) return action == DsnAction::failed || action == DsnAction::delayed;
  if (contains_keyword(notify, "NEVER")) return false;
  switch (action) {
    case DsnAction::failed: return contains_keyword(notify, "FAILURE");
    case DsnAction::delayed: return contains_keyword(notify, "DELAY");
    case DsnAction::delivered:
    case DsnAction::relayed: return contains_keyword(notify, "SUCCESS");
  }
  return false;
}

std::string build_dsn(const DsnInput& in) {
  const std::string boundary = fmt::format("{}/{}", in.message_id, in.reporting_mta);
  bool any_failed = false;
  for (const auto& r : in.recipients) any_failed = any_failed || r.action == DsnAction::failed;
  std::string out;
  out += fmt::format("From: Mail Delivery System <MAILER-DAEMON@{}>\r\n", in.reporting_mta);
  out += fmt::format("To: <{}>\r\n", in.sender);
  out += any_failed ? "Subject: Undelivered Mail Returned to Sender\r\n" : "Subject: Delivery Status Notification\r\n";
  out += fmt::format("Date: {}\r\n", rfc5322_date(in.now));
  out += fmt::format("Message-ID: <{}@{}>\r\n", in.message_id, in.reporting_mta);
  out += "Auto-Submitted: auto-replied\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += fmt::format("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"{}\"\r\n\r\n",
                     boundary);
  out += "This is a MIME-encapsulated message.\r\n\r\n";

  out += fmt::format("--{}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n", boundary);
  out += fmt::format("This is the mail system at host {}.\r\n\r\n", in.reporting_mta);
  out += any_failed ? "Your message could not be delivered to one or more recipients.\r\n\r\n"
                    : "Your message was handed on for the recipients below.\r\n\r\n";
  for (const auto& r : in.recipients) {
    out += fmt::format("<{}>: {}\r\n", one_line(r.address), one_line(r.diagnostic));
  }
  out += "\r\n";

  out += fmt::format("--{}\r\nContent-Type: message/delivery-status\r\n\r\n", boundary);
  out += fmt::format("Reporting-MTA: dns; {}\r\n", in.reporting_mta);
  if (!in.envid.empty()) out += fmt::format("Original-Envelope-Id: {}\r\n", one_line(in.envid));
  if (in.arrival) out += fmt::format("Arrival-Date: {}\r\n", rfc5322_date(in.arrival));
  for (const auto& r : in.recipients) {
    out += "\r\n";
    out += fmt::format("Final-Recipient: rfc822; {}\r\n", one_line(r.address));
    if (!r.orcpt.empty()) {
      auto semi = r.orcpt.find(';');
      out += semi == std::string::npos ? fmt::format("Original-Recipient: rfc822; {}\r\n", one_line(r.orcpt))
                                       : fmt::format("Original-Recipient: {}; {}\r\n", one_line(r.orcpt.substr(0, semi)),
                                                     one_line(r.orcpt.substr(semi + 1)));
    }
    out += fmt::format("Action: {}\r\n", dsn_action_name(r.action));
    out += fmt::format("Status: {}\r\n", r.status.empty() ? (any_failed ? "5.0.0" : "2.0.0") : r.status);
    if (!r.remote_mta.empty()) out += fmt::format("Remote-MTA: dns; {}\r\n", one_line(r.remote_mta));
    if (!r.diagnostic.empty()) {
      out += fmt::format("Diagnostic-Code: {}; {}\r\n", r.diagnostic_is_smtp ? "smtp" : "x-bulwark", one_line(r.diagnostic));
    }
    out += fmt::format("Last-Attempt-Date: {}\r\n", rfc5322_date(in.now));
  }
  out += "\r\n";

  if (in.ret == "FULL") {
    out += fmt::format("--{}\r\nContent-Type: message/rfc822\r\n\r\n", boundary);
    out += in.original;
    if (!in.original.empty() && !in.original.ends_with("\n")) out += "\r\n";
  } else {
    out += fmt::format("--{}\r\nContent-Type: text/rfc822-headers\r\n\r\n", boundary);
    out += header_of(in.original);
  }
  out += fmt::format("\r\n--{}--\r\n", boundary);
  return out;
}

}  // namespace bulwark::delivery

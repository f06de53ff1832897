#include "protocol/scheduling/imip_message.h"

#include <algorithm>
#include <cctype>

#include "base/mail_date.h"
#include "parse/mime/message_structure.h"
#include "parse/mime/transfer_encoding.h"
#include "parse/sasl/base64.h"

namespace bulwark::protocol::scheduling {
namespace {

std::string header_safe(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\r' || c == '\n') continue;
    out += c;
  }
  return out;
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Base64 body lines of at most 76 characters (RFC 2045 6.8), each ending in CRLF.
std::string base64(std::string_view data) {
  const std::string encoded = parse::sasl::base64_encode(data);
  std::string out;
  out.reserve(encoded.size() + encoded.size() / 76 * 2 + 2);
  for (std::size_t i = 0; i < encoded.size(); i += 76) {
    out.append(encoded, i, 76);
    out += "\r\n";
  }
  return out;
}

// RFC 2047 B encoding for a non-ASCII Subject; ASCII stays as it is.
std::string encoded_word(std::string_view text) {
  if (is_ascii(text)) return std::string(text);
  return "=?UTF-8?B?" + parse::sasl::base64_encode(text) + "?=";
}

const parse::mime::Part* find_calendar(const parse::mime::Part& part, unsigned depth) {
  if (depth > 8) return nullptr;
  if (part.kind == parse::mime::PartKind::leaf) {
    return part.type == "text" && part.subtype == "calendar" ? &part : nullptr;
  }
  if (part.kind != parse::mime::PartKind::multipart) return nullptr;  // not inside forwarded messages
  for (const auto& child : part.children) {
    if (const auto* found = find_calendar(child, depth + 1)) return found;
  }
  return nullptr;
}

}  // namespace

std::string build_imip_message(const ImipOutgoing& m) {
  const std::string boundary = "=_bulwark_imip_" + header_safe(m.message_id).substr(0, 40);
  std::string subject;
  if (m.method == "REPLY") {
    subject = "Reply: ";
  } else if (m.method == "CANCEL") {
    subject = "Cancelled: ";
  } else {
    subject = "Invitation: ";
  }
  subject += m.summary.empty() ? std::string("(no title)") : header_safe(m.summary);
  std::string text;
  if (m.method == "REPLY") {
    text = header_safe(m.from) + " has replied to \"" + header_safe(m.summary) + "\".";
  } else if (m.method == "CANCEL") {
    text = header_safe(m.from) + " has cancelled \"" + header_safe(m.summary) + "\".";
  } else {
    text = header_safe(m.from) + " invites you to \"" + header_safe(m.summary) + "\".";
  }
  text += "\r\nYour calendar program can answer the attached invitation.\r\n";

  std::string out;
  out += "From: <" + header_safe(m.from) + ">\r\n";
  out += "To: <" + header_safe(m.to) + ">\r\n";
  out += "Subject: " + encoded_word(subject) + "\r\n";
  out += "Date: " + rfc5322_date(m.date) + "\r\n";
  out += "Message-ID: <" + header_safe(m.message_id) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  out += base64(text);
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/calendar; method=" + header_safe(m.method) + "; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  out += base64(m.calendar);
  out += "--" + boundary + "--\r\n";
  return out;
}

std::optional<ImipIncoming> find_imip_part(std::string_view raw, std::size_t max_bytes) {
  auto root = parse::mime::parse_message(raw);
  if (!root) return std::nullopt;
  const auto* part = find_calendar(*root, 0);
  if (!part || part->body_offset + part->body_size > raw.size()) return std::nullopt;
  auto body = raw.substr(part->body_offset, part->body_size);
  auto decoded = parse::mime::decode_body(part->encoding.value_or("7bit"), body, max_bytes);
  if (!decoded) return std::nullopt;
  ImipIncoming out;
  for (const auto& p : part->params) {
    if (p.name == "method") {
      out.method = p.value;
      for (auto& c : out.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  out.calendar = std::move(*decoded);
  return out;
}

}  // namespace bulwark::protocol::scheduling

// The trace fields an SMTP server prepends to every message it accepts (RFC 5321 4.4): Return-Path on final
// delivery and a Received: time stamp line, with the "with" protocol names of RFC 3848 (SMTP, ESMTP, ESMTPS,
// ESMTPA, ESMTPSA) and the date in RFC 5322 3.3 form. Pure: time is passed in.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "base/mail_date.h"  // rfc5322_date, for the date after the ";"

namespace bulwark::protocol::smtp {

struct ReceivedInfo {
  std::string helo;             // the EHLO/HELO argument as validated by the parser
  std::string peer_ip;          // "192.0.2.1" or "2001:db8::1"
  std::string by_host;          // our hostname
  bool esmtp = true;            // EHLO (true) or HELO (false)
  bool tls = false;
  bool authenticated = false;
  std::string tls_description;  // Stream::tls_description(): "TLSv1.3 with cipher ..."
  std::string id;               // our id for this message
  std::string for_recipient;    // set only when the message has exactly one recipient
  std::time_t when = 0;
};

// "SMTP", "ESMTP", "ESMTPS", "ESMTPA" or "ESMTPSA" (RFC 3848 2).
std::string_view with_protocol(bool esmtp, bool tls, bool authenticated);

// "Received: from ...;\r\n  date\r\n", folded, each line well under 78 octets when the names allow.
std::string format_received(const ReceivedInfo& info);

// "Return-Path: <sender>\r\n" ("<>" for the null reverse path).
std::string format_return_path(std::string_view sender);

}  // namespace bulwark::protocol::smtp

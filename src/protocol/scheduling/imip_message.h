// iMIP (RFC 6047): iTIP messages carried by email. Building the message the server sends to a remote calendar
// user (RFC 6047 2.4: multipart/alternative with a text/plain summary and the text/calendar part carrying the
// METHOD parameter, charset UTF-8), and finding the text/calendar part of a received message.
// Pure functions, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bulwark::protocol::scheduling {

struct ImipOutgoing {
  std::string from;        // the sending calendar user's address ("alice@example.org")
  std::string to;          // the recipient's address
  std::string method;      // REQUEST, REPLY, CANCEL
  std::string summary;     // the event's SUMMARY (may be empty)
  std::string calendar;    // the iTIP object
  std::string message_id;  // without angle brackets
  std::int64_t date = 0;   // seconds since the epoch
};

// The whole RFC 5322 message, CRLF line ends. Header values are stripped of CR/LF; the calendar part is base64,
// so any UTF-8 content and line length travel over 7-bit transports.
std::string build_imip_message(const ImipOutgoing& message);

struct ImipIncoming {
  std::string method;    // the text/calendar part's METHOD parameter (upper-case), may be empty
  std::string calendar;  // the decoded iCalendar text
};

// The first text/calendar part of `raw` (decoded), or nullopt when there is none or it is larger than
// `max_bytes`. Never throws.
std::optional<ImipIncoming> find_imip_part(std::string_view raw, std::size_t max_bytes);

}  // namespace bulwark::protocol::scheduling

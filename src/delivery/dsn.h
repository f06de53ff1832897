// Delivery status notifications (RFC 3464 multipart/report with message/delivery-status, RFC 3461 semantics):
// what the delivery worker sends back to a message's sender when recipients failed permanently, the message
// expired, or (NOTIFY=SUCCESS towards a server without DSN) it was relayed. Pure: builds the bytes only.
//
// Rules the caller applies (should_notify): no DSN ever for the null reverse path (RFC 5321 6.2, 3461 6.2);
// NOTIFY=NEVER means none; an explicit NOTIFY without FAILURE means none for failures. RET=FULL returns the
// whole message (message/rfc822), otherwise only its header (text/rfc822-headers).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/mail_date.h"  // rfc5322_date (Date:, Arrival-Date:, also used by the delivery log)

namespace bulwark::delivery {

enum class DsnAction { failed, delayed, delivered, relayed };
std::string_view dsn_action_name(DsnAction action);

struct DsnRecipient {
  std::string address;      // Final-Recipient
  std::string orcpt;        // Original-Recipient "rfc822;addr", empty: none
  DsnAction action = DsnAction::failed;
  std::string status;       // "5.1.1"
  std::string remote_mta;   // host that answered, empty: none
  std::string diagnostic;   // the reply or local reason
  bool diagnostic_is_smtp = false;  // Diagnostic-Code: smtp; ... (else x-bulwark; ...)
};

struct DsnInput {
  std::string reporting_mta;  // our hostname
  std::string sender;         // the original reverse path, the DSN's recipient
  std::string envid;          // Original-Envelope-Id, empty: none
  std::string ret;            // "FULL", "HDRS" or empty
  std::int64_t arrival = 0;   // when we accepted the message (seconds since the epoch)
  std::int64_t now = 0;
  std::string message_id;     // for the DSN's own Message-ID (unique per DSN)
  std::vector<DsnRecipient> recipients;
  std::string_view original;  // the original message as queued
};

// Whether a recipient with this NOTIFY value (RFC 3461 4.1, "" = not given) wants a DSN for `action`.
bool should_notify(std::string_view notify, DsnAction action);
// The complete DSN message (RFC 5322, CRLF), From: MAILER-DAEMON@reporting_mta, To: the sender.
std::string build_dsn(const DsnInput& input);

}  // namespace bulwark::delivery

// Received invitations (iMIP, RFC 6047): after a message was durably delivered to local INBOXes, a text/calendar
// part with an iTIP METHOD is also handed to the scheduler for each recipient (schedule inbox, and the calendar
// when the sender is trusted; see scheduling::Scheduler::deliver_inbound). The mail itself stays in INBOX.
// The hook never refuses or loses the mail: it runs after delivery and only logs its errors.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/services.h"

namespace bulwark::protocol::smtp {

struct ImipHookJob {
  Services* services = nullptr;
  std::string content;                      // the delivered message
  std::vector<store::DeliveryTarget> delivered;  // the local recipients that got it
  std::optional<store::Principal> sender;   // the authenticated submitter, if any
};

// Cheap test on the raw message before anything is parsed or copied.
bool may_carry_imip(std::string_view content);

// Blocking (directory, DAV store, libical): run on the blocking pool. Returns how many recipients got it.
std::size_t run_imip_hook(ImipHookJob job);

}  // namespace bulwark::protocol::smtp

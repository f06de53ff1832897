#include "protocol/smtp/imip_hook.h"

#include "base/ascii_search.h"
#include "base/log.h"
#include "protocol/scheduling/imip_message.h"
#include "protocol/scheduling/scheduler.h"

namespace bulwark::protocol::smtp {

bool may_carry_imip(std::string_view content) { return contains_ascii_nocase(content, "text/calendar"); }

std::size_t run_imip_hook(ImipHookJob job) {
  if (job.services == nullptr || job.services->dav == nullptr || job.delivered.empty()) return 0;
  auto config = job.services->config.get();
  auto part = scheduling::find_imip_part(job.content, config->dav.max_resource_bytes);
  if (!part) return 0;
  std::vector<std::string> sender_addresses;
  if (job.sender) {
    if (auto addresses = job.services->directory.sender_addresses(*job.sender)) sender_addresses = std::move(*addresses);
    sender_addresses.push_back(job.sender->address());
  }
  scheduling::Scheduler scheduler(*job.services);
  std::size_t delivered = 0;
  for (const auto& target : job.delivered) {
    auto status = scheduler.deliver_inbound(target, part->calendar, job.sender.has_value(), sender_addresses);
    if (status) {
      ++delivered;
    } else {
      spdlog::warn("iMIP for {} not added to the schedule inbox: {}", log::sanitize(target.address()),
                   status.error().detail);
    }
  }
  return delivered;
}

}  // namespace bulwark::protocol::smtp

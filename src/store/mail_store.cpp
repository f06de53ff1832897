#include "store/mail_store.h"

namespace bulwark::store {

std::string_view special_use_attribute(SpecialUse role) {
  switch (role) {
    case SpecialUse::drafts: return "\\Drafts";
    case SpecialUse::sent: return "\\Sent";
    case SpecialUse::trash: return "\\Trash";
    case SpecialUse::junk: return "\\Junk";
    case SpecialUse::archive: return "\\Archive";
    case SpecialUse::none: break;
  }
  return "";
}

Result<Appended> MailStore::append_message(const Principal& who, MailboxRef mailbox, std::string_view content,
                                           const NewMessage& message) {
  BULWARK_TRY_ASSIGN(auto blob, store_blob(content));
  return append(who, mailbox, blob, message);
}

std::vector<Result<Appended>> MailStore::deliver_message(std::span<const DeliveryTarget> targets,
                                                         std::string_view content, const NewMessage& message) {
  std::vector<Result<Appended>> out;
  out.reserve(targets.size());
  auto blob = store_blob(content);
  for (const auto& target : targets) {
    if (!blob) out.emplace_back(tl::unexpected(blob.error()));
    else out.push_back(deliver(target, *blob, message));
  }
  return out;
}

}  // namespace bulwark::store

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

}  // namespace bulwark::store

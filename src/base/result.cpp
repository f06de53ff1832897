#include "base/result.h"

namespace bulwark {

std::string_view errc_name(Errc code) noexcept {
  switch (code) {
    case Errc::not_found: return "not_found";
    case Errc::already_exists: return "already_exists";
    case Errc::permission_denied: return "permission_denied";
    case Errc::quota_exceeded: return "quota_exceeded";
    case Errc::too_big: return "too_big";
    case Errc::invalid_syntax: return "invalid_syntax";
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::temporary_failure: return "temporary_failure";
    case Errc::unavailable: return "unavailable";
    case Errc::internal: return "internal";
  }
  return "unknown";
}

}  // namespace bulwark

// The RFC 5322 3.3 date-time this server writes into mail headers (Received:, Date: of DSNs and iMIP mail,
// Arrival-Date:), always in UTC: "Tue, 24 Nov 2026 05:59:59 +0000". Day and month names are written from fixed
// tables, so the result never depends on the process locale.
#pragma once

#include <cstdint>
#include <string>

namespace bulwark {

std::string rfc5322_date(std::int64_t seconds_since_epoch);

}  // namespace bulwark

// RFC 8689 4: the "TLS-Required: No" header field, by which a sender asks that MTA-STS and other local
// TLS-required policies be waived for its message (DANE still applies). Only the header section is read
// (up to the first empty line); folded values are unfolded; the value is compared case-insensitively.
// Pure and bounded: O(header size). Fuzzed in test/fuzz/smtp (smtp_data_reader_fuzz).
#pragma once

#include <string_view>

namespace bulwark::parse::smtp {

bool has_tls_required_no(std::string_view message) noexcept;

}  // namespace bulwark::parse::smtp

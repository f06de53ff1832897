// The "base subject" of a message (RFC 5256 2.1), used by SORT SUBJECT and by both THREAD algorithms.
//
// Contract: the input is the Subject header value already unfolded and with RFC 2047 encoded-words decoded to
// UTF-8 (RFC 5256 2.1 step 1 is partly the caller's: the domain layer knows no MIME). extract_base_subject()
// does the rest of step 1 (tabs and line breaks to SP, runs of SP collapsed) and steps 2-6 exactly: trailing
// "(fwd)" and WSP, leading "re:" / "fw:" / "fwd:" with optional "[blob]"s, leading "[blob]"s when something
// remains after them, and the "[fwd: ... ]" wrapper, repeated until nothing changes. Matching is ASCII
// case-insensitive. `is_reply_or_forward` is set when step 2, 3 (a subj-refwd) or 6 removed something
// (RFC 5256 2.1 last paragraph, used by THREAD REFERENCES step 5).
#pragma once

#include <string>
#include <string_view>

namespace bulwark::domain::mail {

struct BaseSubject {
  std::string text;  // as written (case kept); compare with compare_ascii_casemap()
  bool is_reply_or_forward = false;
  bool operator==(const BaseSubject&) const = default;
};

[[nodiscard]] BaseSubject extract_base_subject(std::string_view decoded_subject);

// The i;ascii-casemap collation (RFC 4790 9.2) that RFC 5256 3 prescribes for SORT: <0, 0, >0.
[[nodiscard]] int compare_ascii_casemap(std::string_view a, std::string_view b) noexcept;

// ASCII letters upper-cased: a key equal for strings equal under i;ascii-casemap.
[[nodiscard]] std::string ascii_casemap_key(std::string_view text);

}  // namespace bulwark::domain::mail

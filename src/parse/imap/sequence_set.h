// SequenceSet: message sequence numbers or UIDs as sent by the client (RFC 9051 9 "sequence-set", 6.4.4.1 "$").
//
// Contract: parse() accepts exactly the RFC grammar: comma-separated nz-numbers, "*" and ranges "a:b" (either
// order), or "$" alone (the result of the last SEARCH ... RETURN (SAVE), RFC 5182). "*" is kept symbolic
// until the caller resolves it with the largest number in use. Every operation is bounded: expand() refuses
// to produce more than a caller-given count, so "1:4294967295" cannot exhaust memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bulwark::parse::imap {

class SequenceSet {
 public:
  static constexpr std::uint32_t kStar = 0;  // "*" in a Range; nz-number is never 0
  static constexpr std::size_t kMaxRanges = 100000;

  struct Range {
    std::uint32_t first = 1;
    std::uint32_t last = 1;
    friend bool operator==(const Range&, const Range&) = default;
  };

  SequenceSet() = default;
  [[nodiscard]] static Result<SequenceSet> parse(std::string_view text);
  [[nodiscard]] static SequenceSet saved_result();  // "$"
  [[nodiscard]] static SequenceSet from_ranges(std::vector<Range> ranges);

  [[nodiscard]] bool is_saved_result() const noexcept { return is_saved_result_; }
  [[nodiscard]] bool is_empty() const noexcept { return !is_saved_result_ && ranges_.empty(); }
  [[nodiscard]] const std::vector<Range>& ranges() const noexcept { return ranges_; }

  // "*" replaced by `largest`, each range ordered first <= last, sorted, overlapping and adjacent ranges
  // merged. With largest == 0 (empty mailbox) ranges naming "*" match nothing and are dropped.
  // A "$" set stays "$": the caller substitutes the saved result first.
  [[nodiscard]] SequenceSet normalized(std::uint32_t largest) const;

  [[nodiscard]] bool contains(std::uint32_t number, std::uint32_t largest) const;
  // Numbers in the set (after normalized(largest)), at most `limit` of them; too_big beyond that.
  [[nodiscard]] Result<std::vector<std::uint32_t>> expand(std::uint32_t largest, std::size_t limit) const;
  // How many numbers the normalized set holds.
  [[nodiscard]] std::uint64_t count(std::uint32_t largest) const;

  // Wire form, e.g. "1:3,5,7:*" or "$".
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const SequenceSet&, const SequenceSet&) = default;

 private:
  std::vector<Range> ranges_;
  bool is_saved_result_ = false;
};

}  // namespace bulwark::parse::imap

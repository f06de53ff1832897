#include "parse/imap/sequence_set.h"

#include <algorithm>

namespace bulwark::parse::imap {
namespace {

// seq-number = nz-number / "*"; nz-number = digit-nz *DIGIT, at most 4294967295.
Result<std::uint32_t> parse_seq_number(std::string_view text, std::size_t& pos) {
  if (pos < text.size() && text[pos] == '*') {
    ++pos;
    return SequenceSet::kStar;
  }
  if (pos >= text.size() || text[pos] < '1' || text[pos] > '9') {
    return fail(Errc::invalid_syntax, "sequence set: expected a non-zero number or *");
  }
  std::uint64_t value = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + static_cast<std::uint64_t>(text[pos] - '0');
    if (value > UINT32_MAX) return fail(Errc::invalid_syntax, "sequence set: number too large");
    ++pos;
  }
  return static_cast<std::uint32_t>(value);
}

std::uint32_t resolve(std::uint32_t n, std::uint32_t largest) { return n == SequenceSet::kStar ? largest : n; }

void append_number(std::string& out, std::uint32_t n) {
  if (n == SequenceSet::kStar) {
    out += '*';
  } else {
    out += std::to_string(n);
  }
}

}  // namespace

Result<SequenceSet> SequenceSet::parse(std::string_view text) {
  if (text == "$") return saved_result();
  SequenceSet set;
  std::size_t pos = 0;
  for (;;) {
    auto first = parse_seq_number(text, pos);
    if (!first) return tl::unexpected(first.error());
    Range range{*first, *first};
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      auto last = parse_seq_number(text, pos);
      if (!last) return tl::unexpected(last.error());
      range.last = *last;
    }
    if (set.ranges_.size() >= kMaxRanges) return fail(Errc::too_big, "sequence set: too many ranges");
    set.ranges_.push_back(range);
    if (pos == text.size()) break;
    if (text[pos] != ',') return fail(Errc::invalid_syntax, "sequence set: unexpected character");
    ++pos;
  }
  return set;
}

SequenceSet SequenceSet::saved_result() {
  SequenceSet set;
  set.is_saved_result_ = true;
  return set;
}

SequenceSet SequenceSet::from_ranges(std::vector<Range> ranges) {
  SequenceSet set;
  set.ranges_ = std::move(ranges);
  return set;
}

SequenceSet SequenceSet::normalized(std::uint32_t largest) const {
  if (is_saved_result_) return *this;
  std::vector<Range> out;
  out.reserve(ranges_.size());
  for (const Range& r : ranges_) {
    if (largest == 0 && (r.first == kStar || r.last == kStar)) continue;
    std::uint32_t a = resolve(r.first, largest);
    std::uint32_t b = resolve(r.last, largest);
    if (a > b) std::swap(a, b);
    out.push_back(Range{a, b});
  }
  std::sort(out.begin(), out.end(), [](const Range& x, const Range& y) { return x.first < y.first; });
  std::vector<Range> merged;
  for (const Range& r : out) {
    if (!merged.empty() && static_cast<std::uint64_t>(merged.back().last) + 1 >= r.first) {
      merged.back().last = std::max(merged.back().last, r.last);
    } else {
      merged.push_back(r);
    }
  }
  return from_ranges(std::move(merged));
}

bool SequenceSet::contains(std::uint32_t number, std::uint32_t largest) const {
  if (is_saved_result_ || number == 0) return false;
  for (const Range& r : ranges_) {
    if (largest == 0 && (r.first == kStar || r.last == kStar)) continue;
    std::uint32_t a = resolve(r.first, largest);
    std::uint32_t b = resolve(r.last, largest);
    if (a > b) std::swap(a, b);
    if (number >= a && number <= b) return true;
  }
  return false;
}

std::uint64_t SequenceSet::count(std::uint32_t largest) const {
  std::uint64_t total = 0;
  for (const Range& r : normalized(largest).ranges_) total += static_cast<std::uint64_t>(r.last) - r.first + 1;
  return total;
}

Result<std::vector<std::uint32_t>> SequenceSet::expand(std::uint32_t largest, std::size_t limit) const {
  if (is_saved_result_) return fail(Errc::invalid_argument, "sequence set: $ must be resolved first");
  if (count(largest) > limit) return fail(Errc::too_big, "sequence set: too many messages");
  std::vector<std::uint32_t> numbers;
  for (const Range& r : normalized(largest).ranges_) {
    for (std::uint64_t n = r.first; n <= r.last; ++n) numbers.push_back(static_cast<std::uint32_t>(n));
  }
  return numbers;
}

std::string SequenceSet::to_string() const {
  if (is_saved_result_) return "$";
  std::string out;
  for (const Range& r : ranges_) {
    if (!out.empty()) out += ',';
    append_number(out, r.first);
    if (r.last != r.first) {
      out += ':';
      append_number(out, r.last);
    }
  }
  return out;
}

}  // namespace bulwark::parse::imap

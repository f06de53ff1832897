// libFuzzer target: DataReader (parse/smtp/data_reader.h) fed in pseudo-random splits.
// Input layout: byte 0 = policy flags (bit 0 normalize, bit 1 small size limit, bit 2 small line limit),
// byte 1 = split seed, the rest = wire bytes after DATA.
// Checks: every split gives the same result as one feed; the end is found exactly where a simple
// line-by-line reference (split on CRLF only) finds it; the output equals the reference output.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "parse/smtp/data_reader.h"
#include "parse/smtp/tls_required.h"

namespace {

using namespace bulwark::parse::smtp;

void check(bool condition) {
  if (!condition) std::abort();
}

struct Decoded {
  std::string output;
  std::size_t consumed = 0;
  bool done = false;
  MessageReport report;
};

Decoded decode(std::string_view input, const MessagePolicy& policy, std::uint32_t seed) {
  DataReader reader(policy);
  Decoded decoded;
  std::size_t pos = 0;
  while (pos < input.size() && !decoded.done) {
    std::size_t length = input.size() - pos;
    if (seed != 0) {
      seed = seed * 1103515245u + 12345u;
      length = std::min<std::size_t>(length, (seed >> 16) % 17);
    }
    const FeedResult result = reader.feed(input.substr(pos, length), decoded.output);
    check(result.consumed <= length);
    check(result.done || result.consumed == length);
    decoded.consumed += result.consumed;
    decoded.done = result.done;
    pos += length;
  }
  decoded.report = reader.report();
  return decoded;
}

// RFC 5321 4.5.2 the slow, obvious way: lines end at CRLF only; "." alone ends the data; a leading dot is
// dropped; bare CR/LF inside a line are kept (reject) or become CRLF (normalize).
Decoded reference(std::string_view input, const MessagePolicy& policy) {
  Decoded decoded;
  std::string out;
  std::size_t pos = 0;
  bool long_line = false;
  while (true) {
    const std::size_t end = input.find("\r\n", pos);
    if (end == std::string_view::npos) break;
    std::string_view line = input.substr(pos, end - pos);
    pos = end + 2;
    if (line == ".") {
      decoded.done = true;
      decoded.consumed = pos;
      break;
    }
    if (!line.empty() && line.front() == '.') line.remove_prefix(1);
    std::size_t segment = 0;
    for (char c : line) {
      if (c == '\r' || c == '\n') {
        out += policy.bare_line_ending == BareLineEnding::normalize ? std::string("\r\n") : std::string(1, c);
        segment = 0;
      } else {
        out.push_back(c);
        if (++segment + 2 > policy.max_line_octets) long_line = true;
      }
    }
    out += "\r\n";
  }
  decoded.report.size = out.size();
  decoded.report.too_big = out.size() > policy.max_message_octets;
  decoded.report.long_line = long_line;
  decoded.output = out.substr(0, std::min(out.size(), policy.max_message_octets));
  return decoded;
}

void check_same(const Decoded& a, const Decoded& b) {
  check(a.output == b.output);
  check(a.consumed == b.consumed);
  check(a.done == b.done);
  check(a.report.size == b.report.size);
  check(a.report.too_big == b.report.too_big);
  check(a.report.bare_line_ending == b.report.bare_line_ending);
  check(a.report.normalized == b.report.normalized);
  check(a.report.long_line == b.report.long_line);
  check(a.report.nul == b.report.nul);
  check(a.report.eight_bit == b.report.eight_bit);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  MessagePolicy policy;
  policy.bare_line_ending = (data[0] & 1) ? BareLineEnding::normalize : BareLineEnding::reject;
  if (data[0] & 2) policy.max_message_octets = 64;
  if (data[0] & 4) policy.max_line_octets = 16;
  const std::uint32_t seed = data[1] | 1u;
  const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);

  const Decoded whole = decode(input, policy, 0);
  // The RFC 8689 header scan runs on the decoded message; a "yes" must be backed by the field's name.
  if (has_tls_required_no(whole.output)) check(whole.output.size() >= 16);
  check_same(decode(input, policy, seed), whole);
  check(whole.output.size() <= policy.max_message_octets);
  check(whole.report.size >= whole.output.size());
  if (whole.done) {
    const std::string_view used = input.substr(0, whole.consumed);
    check(used == ".\r\n" || (used.size() >= 5 && used.substr(used.size() - 5) == "\r\n.\r\n"));
    const Decoded slow = reference(input, policy);
    check(slow.done && slow.consumed == whole.consumed);
    check(slow.output == whole.output);
    check(slow.report.size == whole.report.size && slow.report.too_big == whole.report.too_big);
    check(slow.report.long_line == whole.report.long_line);
  } else {
    check(whole.consumed == input.size());
    check(!reference(input, policy).done);
  }
  return 0;
}

// libFuzzer target: server replies as the delivery client reads them (parse/smtp/smtp_reply.h), one line per
// CRLF. Checks beyond "no crash": every completed reply has a code in 200..599, at least one line and no more
// than the limits allow; the enhanced code, when found, starts with the reply's class digit or 2/4/5.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parse/smtp/smtp_reply.h"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark::parse::smtp;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ReplyLimits limits{8, 256};
  ReplyReader reader(limits);
  while (!input.empty()) {
    auto end = input.find("\r\n");
    std::string_view line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 2);
    auto r = reader.feed(line);
    if (!r || !*r) continue;
    const Reply& reply = **r;
    check(reply.code >= 200 && reply.code <= 599);
    check(!reply.lines.empty() && reply.lines.size() <= limits.max_lines);
    auto enhanced = reply.enhanced_code();
    check(enhanced.empty() || enhanced[0] == '2' || enhanced[0] == '4' || enhanced[0] == '5');
    auto ext = parse_extensions(reply);
    check(!ext.max_size || ext.size);
    (void)reply.summary();
  }
  return 0;
}

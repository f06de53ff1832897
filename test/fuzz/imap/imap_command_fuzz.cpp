// Fuzzes CommandFramer + parse_command over a client byte stream (RFC 9051 2.2, 9).
// The first input byte picks limits, options and the literal policy; the stream is framed twice, whole and in
// chunks whose sizes come from the input, and both runs must produce the same events (chunking independence).
// Every completed command is parsed; a parsed LOGIN user name must survive write_astring and a re-parse.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "parse/imap/command_framer.h"
#include "parse/imap/command_parser.h"
#include "parse/imap/response_writer.h"

namespace {

using namespace bulwark::parse::imap;

void check(bool condition) {
  if (!condition) std::abort();
}

void exercise(const Command& command, const ParseOptions& options) {
  if (const auto* login = std::get_if<LoginArgs>(&command.args)) {
    std::string line = "t LOGIN ";
    write_astring(line, login->userid, options.is_utf8_enabled);
    line += " x";
    auto again = parse_command(line, options);
    check(again.has_value());
    check(std::get<LoginArgs>(again->args).userid == login->userid);
  }
  if (const auto* fetch = std::get_if<FetchArgs>(&command.args)) {
    (void)fetch->sequence_set.normalized(1000).count(1000);
    (void)fetch->sequence_set.contains(7, 1000);
  }
}

std::string summarize(const FrameEvent& event) {
  switch (event.kind) {
    case FrameEventKind::command_complete: {
      std::string s = "C" + event.command.tag + "|" + event.command.text;
      for (const LiteralSpan& span : event.command.literals) {
        check(span.offset <= event.command.text.size());
        check(span.size <= event.command.text.size() - span.offset);
        s += "|" + std::to_string(span.offset) + ":" + std::to_string(span.size);
      }
      return s;
    }
    case FrameEventKind::need_continuation: return "+" + std::to_string(event.literal.size);
    case FrameEventKind::need_literal_decision: return "?" + std::to_string(event.literal.size);
    case FrameEventKind::error: return "E" + std::to_string(static_cast<int>(event.error.kind)) + event.error.tag;
    case FrameEventKind::need_more_input: return "";
  }
  return "";
}

std::vector<std::string> frame(const Limits& limits, std::string_view input, const std::vector<std::size_t>& cuts,
                               bool refuse_odd, const ParseOptions& options, bool parse) {
  CommandFramer framer(limits);
  std::vector<std::string> events;
  std::size_t start = 0;
  std::size_t decisions = 0;
  for (std::size_t i = 0; i <= cuts.size(); ++i) {
    const std::size_t end = i < cuts.size() ? cuts[i] : input.size();
    framer.feed(input.substr(start, end - start));
    start = end;
    for (;;) {
      FrameEvent event = framer.next();
      if (event.kind == FrameEventKind::need_more_input) break;
      events.push_back(summarize(event));
      check(events.size() < 100000);
      if (event.kind == FrameEventKind::need_continuation || event.kind == FrameEventKind::need_literal_decision) {
        if (refuse_odd && (decisions++ % 2 == 1)) {
          framer.refuse_literal();
        } else {
          framer.accept_literal();
        }
      } else if (event.kind == FrameEventKind::command_complete && parse) {
        check(event.command.text.size() <= limits.max_command_bytes);
        auto command = parse_command(event.command, options);
        if (command) {
          check(command->tag == event.command.tag);
          exercise(*command, options);
        } else {
          check(!command.error().detail.empty());
        }
      }
    }
  }
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t mode = data[0];
  const std::uint8_t chunk_seed = data[1];
  const std::string_view input(reinterpret_cast<const char*>(data + 2), size - 2);

  Limits limits;
  if (mode & 1) {
    limits.max_line_bytes = 64;
    limits.max_literal_bytes = 32;
    limits.max_command_bytes = 256;
  }
  limits.is_literal_minus = (mode & 2) != 0;
  limits.is_non_sync_confirmed = (mode & 4) != 0;
  const bool refuse_odd = (mode & 8) != 0;
  ParseOptions options;
  options.is_utf8_enabled = (mode & 16) != 0;
  options.hierarchy_delimiter = (mode & 32) ? '.' : '/';

  const auto whole = frame(limits, input, {}, refuse_odd, options, true);
  std::vector<std::size_t> cuts;
  std::size_t step = (chunk_seed % 13) + 1;
  for (std::size_t at = step; at < input.size(); at += step) {
    cuts.push_back(at);
    step = ((step * 7 + chunk_seed) % 17) + 1;
  }
  const auto chunked = frame(limits, input, cuts, refuse_odd, options, false);
  check(whole == chunked);

  // The parser alone, over the raw input as one command.
  auto command = parse_command(input, options);
  if (command) exercise(*command, options);
  return 0;
}

// CommandFramer: framing, literals of every kind, limits and recovery, and independence from chunking.
#include "parse/imap/command_framer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bulwark::parse::imap {
namespace {

using namespace std::string_literals;

enum class Decision { accept, refuse };

// Runs the framer over `chunks`, answering every literal question with `decision`, and returns one line per
// event: "C <tag>|<text>|<literal offsets>", "+ <size>", "? <size>", "E <kind> <tag>".
std::vector<std::string> run(CommandFramer& framer, const std::vector<std::string>& chunks,
                             Decision decision = Decision::accept) {
  std::vector<std::string> out;
  for (const std::string& chunk : chunks) {
    framer.feed(chunk);
    for (;;) {
      FrameEvent event = framer.next();
      if (event.kind == FrameEventKind::need_more_input) break;
      switch (event.kind) {
        case FrameEventKind::command_complete: {
          std::string line = "C " + event.command.tag + "|" + event.command.text + "|";
          for (const LiteralSpan& span : event.command.literals) {
            line += std::to_string(span.offset) + ":" + std::to_string(span.size) +
                    (span.is_literal8 ? "~" : "") + (span.is_synchronizing ? "" : "+") + ";";
          }
          out.push_back(line);
          break;
        }
        case FrameEventKind::need_continuation:
        case FrameEventKind::need_literal_decision:
          out.push_back(std::string(event.kind == FrameEventKind::need_continuation ? "+ " : "? ") +
                        std::to_string(event.literal.size));
          if (decision == Decision::accept) {
            framer.accept_literal();
          } else {
            framer.refuse_literal();
          }
          break;
        case FrameEventKind::error:
          out.push_back("E " + std::to_string(static_cast<int>(event.error.kind)) + " " + event.error.tag);
          break;
        case FrameEventKind::need_more_input:
          break;
      }
    }
  }
  return out;
}

std::vector<std::string> run_whole(const std::string& input, Limits limits = {},
                                   Decision decision = Decision::accept) {
  CommandFramer framer(limits);
  return run(framer, {input}, decision);
}

constexpr int kLineTooLong = static_cast<int>(FrameErrorKind::line_too_long);
constexpr int kLiteralTooBig = static_cast<int>(FrameErrorKind::literal_too_big);
constexpr int kCommandTooBig = static_cast<int>(FrameErrorKind::command_too_big);
constexpr int kBadLiteralSize = static_cast<int>(FrameErrorKind::bad_literal_size);

struct FramerRow {
  const char* name;
  std::string input;
  std::vector<std::string> expected;
  Limits limits = {};
  Decision decision = Decision::accept;
};

Limits small_limits() {
  Limits limits;
  limits.max_line_bytes = 40;
  limits.max_literal_bytes = 10;
  limits.max_command_bytes = 100;
  return limits;
}

Limits literal_minus() {
  Limits limits;
  limits.is_literal_minus = true;
  return limits;
}

Limits confirm_non_sync() {
  Limits limits;
  limits.is_non_sync_confirmed = true;
  return limits;
}

std::vector<FramerRow> framer_rows() {
  const std::string big(5000, 'x');
  return {
      {"simple", "a1 NOOP\r\n", {"C a1|a1 NOOP|"}},
      {"pipelined", "a NOOP\r\nb CAPABILITY\r\n", {"C a|a NOOP|", "C b|b CAPABILITY|"}},
      {"bare_lf", "a NOOP\nb NOOP\r\n", {"C a|a NOOP|", "C b|b NOOP|"}},
      {"empty_line", "\r\na NOOP\r\n", {"C ||", "C a|a NOOP|"}},
      {"no_tag", "+ NOOP\r\n", {"C |+ NOOP|"}},
      {"sync_literal",
       "a LOGIN {5}\r\nalice {6}\r\nsecret\r\n",
       {"+ 5", "+ 6", "C a|a LOGIN {5}\r\nalice {6}\r\nsecret|13:5;24:6;"}},
      {"non_sync_literal",
       "a LOGIN {5+}\r\nalice {6+}\r\nsecret\r\n",
       {"C a|a LOGIN {5+}\r\nalice {6+}\r\nsecret|14:5+;26:6+;"}},
      {"literal8",
       "a APPEND x ~{3}\r\n\0ab\r\n"s,
       {"+ 3", "C a|a APPEND x ~{3}\r\n\0ab|17:3~;"s}},
      {"literal8_non_sync", "a APPEND x ~{2+}\r\nab\r\n", {"C a|a APPEND x ~{2+}\r\nab|18:2~+;"}},
      {"literal_holds_crlf_and_marker",
       "a APPEND x {9+}\r\nab\r\n{2}\r\n\r\nb NOOP\r\n",
       {"C a|a APPEND x {9+}\r\nab\r\n{2}\r\n|17:9+;", "C b|b NOOP|"}},
      {"zero_literal", "a LOGIN {0}\r\n {0+}\r\n\r\n", {"+ 0", "C a|a LOGIN {0}\r\n {0+}\r\n|13:0;20:0+;"}},
      {"not_a_literal", "a SEARCH KEYWORD x}\r\nb X {a}\r\n", {"C a|a SEARCH KEYWORD x}|", "C b|b X {a}|"}},
      {"refused_sync", "a LOGIN {5}\r\nb NOOP\r\n", {"+ 5", "C b|b NOOP|"}, {}, Decision::refuse},
      {"refused_confirmed_non_sync",
       "a APPEND x {5+}\r\n12345 {2+}\r\nzz\r\nb NOOP\r\n",
       {"? 5", "C b|b NOOP|"},
       confirm_non_sync(),
       Decision::refuse},
      {"confirmed_non_sync_accepted",
       "a APPEND x {5+}\r\n12345\r\n",
       {"? 5", "C a|a APPEND x {5+}\r\n12345|17:5+;"},
       confirm_non_sync()},
      {"line_too_long",
       "t1 " + std::string(60, 'a') + "\r\nb NOOP\r\n",
       {"E " + std::to_string(kLineTooLong) + " t1", "C b|b NOOP|"},
       small_limits()},
      {"line_too_long_ending_in_non_sync_literal",
       "t1 " + std::string(60, 'a') + " {4+}\r\nabcd\r\nb NOOP\r\n",
       {"E " + std::to_string(kLineTooLong) + " t1", "C b|b NOOP|"},
       small_limits()},
      {"sync_literal_too_big",
       "t2 APPEND x {11}\r\nb NOOP\r\n",
       {"E " + std::to_string(kLiteralTooBig) + " t2", "C b|b NOOP|"},
       small_limits()},
      {"non_sync_literal_too_big_is_skipped",
       "t3 APPEND x {11+}\r\n{1}\r\nb NOOP rest {2+}\r\nzz\r\nc NOOP\r\n",
       {"E " + std::to_string(kLiteralTooBig) + " t3", "C c|c NOOP|"},
       small_limits()},
      {"literal_minus_caps_non_sync",
       "t4 APPEND x {5000+}\r\n" + big + "\r\nb NOOP\r\n",
       {"E " + std::to_string(kLiteralTooBig) + " t4", "C b|b NOOP|"},
       literal_minus()},
      {"literal_minus_allows_sync",
       "t5 APPEND x {5000}\r\n" + big + "\r\n",
       {"+ 5000", "C t5|t5 APPEND x {5000}\r\n" + big + "|20:5000;"},
       literal_minus()},
      {"command_too_big",
       "t6 X {10+}\r\n0123456789 {10+}\r\n0123456789 {10+}\r\n0123456789 {10+}\r\n0123456789 {10+}\r\n"
       "0123456789 {10+}\r\n0123456789\r\nb NOOP\r\n",
       {"E " + std::to_string(kCommandTooBig) + " t6", "C b|b NOOP|"},
       small_limits()},
      {"literal_size_overflow",
       "t7 X {99999999999999999999999}\r\nb NOOP\r\n",
       {"E " + std::to_string(kBadLiteralSize) + " t7", "C b|b NOOP|"}},
      {"huge_sync_literal",
       "t8 APPEND x {18446744073709551615}\r\nb NOOP\r\n",
       {"E " + std::to_string(kLiteralTooBig) + " t8", "C b|b NOOP|"}},
  };
}

class FramerTableTest : public ::testing::TestWithParam<FramerRow> {};

TEST_P(FramerTableTest, WholeInput) {
  const FramerRow& row = GetParam();
  EXPECT_EQ(run_whole(row.input, row.limits, row.decision), row.expected);
}

TEST_P(FramerTableTest, EveryTwoWaySplit) {
  const FramerRow& row = GetParam();
  for (std::size_t split = 0; split <= row.input.size(); ++split) {
    CommandFramer framer(row.limits);
    EXPECT_EQ(run(framer, {row.input.substr(0, split), row.input.substr(split)}, row.decision), row.expected)
        << "split at " << split;
  }
}

TEST_P(FramerTableTest, ByteByByte) {
  const FramerRow& row = GetParam();
  std::vector<std::string> chunks;
  for (char c : row.input) chunks.emplace_back(1, c);
  CommandFramer framer(row.limits);
  EXPECT_EQ(run(framer, chunks, row.decision), row.expected);
}

TEST_P(FramerTableTest, EveryThreeWaySplitOfShortInputs) {
  const FramerRow& row = GetParam();
  if (row.input.size() > 80) GTEST_SKIP() << "covered by two-way splits";
  for (std::size_t i = 0; i <= row.input.size(); ++i) {
    for (std::size_t j = i; j <= row.input.size(); ++j) {
      CommandFramer framer(row.limits);
      const std::vector<std::string> chunks = {row.input.substr(0, i), row.input.substr(i, j - i),
                                               row.input.substr(j)};
      ASSERT_EQ(run(framer, chunks, row.decision), row.expected) << "splits at " << i << "," << j;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, FramerTableTest, ::testing::ValuesIn(framer_rows()),
                         [](const ::testing::TestParamInfo<FramerRow>& row_info) { return std::string(row_info.param.name); });

TEST(CommandFramer, WaitsForDecisionAndRepeatsTheEvent) {
  CommandFramer framer;
  framer.feed("a LOGIN {5}\r\n");
  EXPECT_EQ(framer.next().kind, FrameEventKind::need_continuation);
  EXPECT_TRUE(framer.is_awaiting_decision());
  const FrameEvent again = framer.next();
  EXPECT_EQ(again.kind, FrameEventKind::need_continuation);
  EXPECT_EQ(again.literal.tag, "a");
  EXPECT_EQ(again.literal.size, 5u);
  EXPECT_TRUE(again.literal.is_synchronizing);
  framer.accept_literal();
  EXPECT_EQ(framer.next().kind, FrameEventKind::need_more_input);
  framer.feed("alice x\r\n");
  const FrameEvent done = framer.next();
  ASSERT_EQ(done.kind, FrameEventKind::command_complete);
  EXPECT_EQ(done.command.text, "a LOGIN {5}\r\nalice x");
}

TEST(CommandFramer, LongLineWithoutNewlineIsReportedBeforeItEnds) {
  Limits limits;
  limits.max_line_bytes = 16;
  CommandFramer framer(limits);
  framer.feed("tag1 " + std::string(100, 'y'));
  const FrameEvent event = framer.next();
  ASSERT_EQ(event.kind, FrameEventKind::error);
  EXPECT_EQ(event.error.kind, FrameErrorKind::line_too_long);
  EXPECT_EQ(event.error.tag, "tag1");
  EXPECT_EQ(framer.next().kind, FrameEventKind::need_more_input);
  EXPECT_EQ(framer.buffered_bytes(), 0u);
  framer.feed(std::string(1000, 'z') + "\r\nb NOOP\r\n");
  const FrameEvent next = framer.next();
  ASSERT_EQ(next.kind, FrameEventKind::command_complete);
  EXPECT_EQ(next.command.text, "b NOOP");
}

TEST(CommandFramer, MemoryStaysBoundedWhileSkipping) {
  Limits limits;
  limits.max_literal_bytes = 10;
  CommandFramer framer(limits);
  framer.feed("a APPEND x {1000000+}\r\n");
  EXPECT_EQ(framer.next().kind, FrameEventKind::error);
  for (int i = 0; i < 100; ++i) {
    framer.feed(std::string(10000, 'q'));
    EXPECT_EQ(framer.next().kind, FrameEventKind::need_more_input);
    EXPECT_EQ(framer.buffered_bytes(), 0u);
  }
  framer.feed("\r\nb NOOP\r\n");
  const FrameEvent next = framer.next();
  ASSERT_EQ(next.kind, FrameEventKind::command_complete);
  EXPECT_EQ(next.command.tag, "b");
}

TEST(CommandFramer, AcceptWithoutPendingLiteralDoesNothing) {
  CommandFramer framer;
  framer.accept_literal();
  framer.refuse_literal();
  framer.feed("a NOOP\r\n");
  EXPECT_EQ(framer.next().kind, FrameEventKind::command_complete);
}

}  // namespace
}  // namespace bulwark::parse::imap

// DATA decoding (parse/smtp/data_reader.h): RFC 5321 4.5.2 dot-stuffing, the only terminator <CRLF>.<CRLF>,
// SMTP smuggling variants (CVE-2023-51764 class), every split of the input, limits.
#include "parse/smtp/data_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bulwark::parse::smtp {
namespace {

using namespace std::string_literals;

struct Outcome {
  std::string output;
  std::size_t consumed = 0;
  bool done = false;
  MessageReport report;
};

// Feeds `input` cut at the given positions (sorted), each piece into a fresh output string appended to the
// total (as a streaming caller would do). Stops feeding after done.
Outcome decode(std::string_view input, const MessagePolicy& policy, const std::vector<std::size_t>& cuts = {}) {
  DataReader reader(policy);
  Outcome outcome;
  std::size_t start = 0;
  std::vector<std::size_t> bounds = cuts;
  bounds.push_back(input.size());
  for (std::size_t end : bounds) {
    if (outcome.done) break;
    std::string piece_out;
    const FeedResult result = reader.feed(input.substr(start, end - start), piece_out);
    outcome.output += piece_out;
    outcome.consumed += result.consumed;
    outcome.done = result.done;
    EXPECT_TRUE(result.done || result.consumed == end - start) << "unfinished feed must consume everything";
    start = end;
  }
  EXPECT_EQ(reader.is_done(), outcome.done);
  outcome.report = reader.report();
  return outcome;
}

void expect_same(const Outcome& a, const Outcome& b, const std::string& what) {
  EXPECT_EQ(a.output, b.output) << what;
  EXPECT_EQ(a.consumed, b.consumed) << what;
  EXPECT_EQ(a.done, b.done) << what;
  EXPECT_EQ(a.report.size, b.report.size) << what;
  EXPECT_EQ(a.report.too_big, b.report.too_big) << what;
  EXPECT_EQ(a.report.bare_line_ending, b.report.bare_line_ending) << what;
  EXPECT_EQ(a.report.normalized, b.report.normalized) << what;
  EXPECT_EQ(a.report.long_line, b.report.long_line) << what;
  EXPECT_EQ(a.report.nul, b.report.nul) << what;
  EXPECT_EQ(a.report.eight_bit, b.report.eight_bit) << what;
}

// --- decoding table ---------------------------------------------------------------------------------------

constexpr std::size_t kAll = static_cast<std::size_t>(-1);

struct DataRow {
  std::string name;
  std::string input;
  BareLineEnding mode;
  std::string output;
  std::size_t consumed;  // kAll: the whole input
  bool done;
  bool valid;
  bool bare = false;
  bool normalized = false;
  bool eight_bit = false;
};

class DataTable : public ::testing::TestWithParam<DataRow> {};

constexpr auto kReject = BareLineEnding::reject;
constexpr auto kNormalize = BareLineEnding::normalize;

TEST_P(DataTable, Decodes) {
  const auto& row = GetParam();
  MessagePolicy policy;
  policy.bare_line_ending = row.mode;
  const Outcome whole = decode(row.input, policy);
  EXPECT_EQ(whole.output, row.output);
  EXPECT_EQ(whole.consumed, row.consumed == kAll ? row.input.size() : row.consumed);
  EXPECT_EQ(whole.done, row.done);
  EXPECT_EQ(whole.report.is_valid(), row.valid) << (whole.report.is_valid() ? "" : whole.report.status().error().detail);
  EXPECT_EQ(whole.report.bare_line_ending, row.bare);
  EXPECT_EQ(whole.report.normalized, row.normalized);
  EXPECT_EQ(whole.report.eight_bit, row.eight_bit);
  EXPECT_EQ(whole.report.size, whole.output.size());
}

// Every split in two, every split in three, and byte by byte give the same result as one feed.
TEST_P(DataTable, EverySplitGivesTheSameResult) {
  const auto& row = GetParam();
  MessagePolicy policy;
  policy.bare_line_ending = row.mode;
  const Outcome whole = decode(row.input, policy);
  const std::size_t n = row.input.size();
  for (std::size_t i = 0; i <= n; ++i) {
    expect_same(decode(row.input, policy, {i}), whole, row.name + " split at " + std::to_string(i));
    for (std::size_t j = i; j <= n && n <= 48; ++j) {
      expect_same(decode(row.input, policy, {i, j}), whole,
                  row.name + " split at " + std::to_string(i) + "," + std::to_string(j));
    }
  }
  std::vector<std::size_t> every;
  for (std::size_t i = 1; i < n; ++i) every.push_back(i);
  expect_same(decode(row.input, policy, every), whole, row.name + " byte by byte");
}

INSTANTIATE_TEST_SUITE_P(Rfc5321, DataTable, ::testing::Values(
    DataRow{"empty_message", ".\r\n", kReject, "", kAll, true, true},
    DataRow{"one_line", "Subject: x\r\n.\r\n", kReject, "Subject: x\r\n", kAll, true, true},
    DataRow{"headers_and_body", "A: 1\r\n\r\nbody\r\n.\r\n", kReject, "A: 1\r\n\r\nbody\r\n", kAll, true, true},
    DataRow{"blank_lines", "\r\n\r\n.\r\n", kReject, "\r\n\r\n", kAll, true, true},
    DataRow{"stuffed_dot_line", "..\r\n.\r\n", kReject, ".\r\n", kAll, true, true},
    DataRow{"stuffed_dots", "...x\r\n.\r\n", kReject, "..x\r\n", kAll, true, true},
    DataRow{"unstuffed_leading_dot", ".x\r\n.\r\n", kReject, "x\r\n", kAll, true, true},
    DataRow{"dot_space", ". \r\n.\r\n", kReject, " \r\n", kAll, true, true},
    DataRow{"dot_mid_line", "a.b\r\n.\r\n", kReject, "a.b\r\n", kAll, true, true},
    DataRow{"dot_not_at_start", "x.\r\n.\r\n", kReject, "x.\r\n", kAll, true, true},
    DataRow{"pipelined_command", "x\r\n.\r\nQUIT\r\n", kReject, "x\r\n", 6, true, true},
    DataRow{"pipelined_after_empty", ".\r\nRSET\r\n", kReject, "", 3, true, true},
    DataRow{"no_terminator_yet", "x\r\n", kReject, "x\r\n", kAll, false, true},
    DataRow{"partial_terminator", "x\r\n.\r", kReject, "x\r\n", kAll, false, true},
    DataRow{"partial_dot", "x\r\n.", kReject, "x\r\n", kAll, false, true},
    DataRow{"eight_bit", "\xC3\xA9t\xC3\xA9\r\n.\r\n", kReject, "\xC3\xA9t\xC3\xA9\r\n", kAll, true, true, false,
            false, true},
    DataRow{"nul", "a\0b\r\n.\r\n"s, kReject, "a\0b\r\n"s, kAll, true, false},
    // bare line endings, rejected: kept as sent, message invalid, never the end
    DataRow{"bare_lf", "a\nb\r\n.\r\n", kReject, "a\nb\r\n", kAll, true, false, true},
    DataRow{"bare_cr", "a\rb\r\n.\r\n", kReject, "a\rb\r\n", kAll, true, false, true},
    DataRow{"cr_cr_lf", "a\r\r\n.\r\n", kReject, "a\r\r\n", kAll, true, false, true},
    DataRow{"lf_dot_lf", "a\n.\nb\r\n.\r\n", kReject, "a\n.\nb\r\n", kAll, true, false, true},
    DataRow{"lf_dot_crlf", "a\n.\r\nb\r\n.\r\n", kReject, "a\n.\r\nb\r\n", kAll, true, false, true},
    DataRow{"cr_dot_cr", "a\r.\rb\r\n.\r\n", kReject, "a\r.\rb\r\n", kAll, true, false, true},
    DataRow{"cr_dot_crlf", "a\r.\r\nb\r\n.\r\n", kReject, "a\r.\r\nb\r\n", kAll, true, false, true},
    DataRow{"crlf_dot_lf", "a\r\n.\nb\r\n.\r\n", kReject, "a\r\n\nb\r\n", kAll, true, false, true},
    DataRow{"crlf_dot_cr", "a\r\n.\rb\r\n.\r\n", kReject, "a\r\n\rb\r\n", kAll, true, false, true},
    DataRow{"crlf_dot_cr_cr_lf", "a\r\n.\r\r\nb\r\n.\r\n", kReject, "a\r\n\r\r\nb\r\n", kAll, true, false, true},
    DataRow{"lf_dot_cr", "a\n.\rb\r\n.\r\n", kReject, "a\n.\rb\r\n", kAll, true, false, true},
    DataRow{"cr_dot_lf", "a\r.\nb\r\n.\r\n", kReject, "a\r.\nb\r\n", kAll, true, false, true},
    DataRow{"first_line_dot_lf", ".\nb\r\n.\r\n", kReject, "\nb\r\n", kAll, true, false, true},
    DataRow{"first_line_dot_cr", ".\rb\r\n.\r\n", kReject, "\rb\r\n", kAll, true, false, true},
    DataRow{"smuggle_lf_only", "a\n.\n", kReject, "a\n.\n", kAll, false, false, true},
    DataRow{"smuggle_cr_only", "a\r.\r", kReject, "a\r.", kAll, false, false, true},  // the last CR still pending
    DataRow{"smuggle_lf_crlf", "a\n.\r\n", kReject, "a\n.\r\n", kAll, false, false, true},
    DataRow{"smuggle_crlf_lf", "a\r\n.\n", kReject, "a\r\n\n", kAll, false, false, true},
    DataRow{"smuggle_dot_dot", "a\r\n..\r\n", kReject, "a\r\n.\r\n", kAll, false, true},
    // bare line endings, normalized: written as CRLF, still never the end
    DataRow{"norm_bare_lf", "a\nb\r\n.\r\n", kNormalize, "a\r\nb\r\n", kAll, true, true, false, true},
    DataRow{"norm_bare_cr", "a\rb\r\n.\r\n", kNormalize, "a\r\nb\r\n", kAll, true, true, false, true},
    DataRow{"norm_cr_cr_lf", "a\r\r\n.\r\n", kNormalize, "a\r\n\r\n", kAll, true, true, false, true},
    DataRow{"norm_lf_lf", "a\n\nb\r\n.\r\n", kNormalize, "a\r\n\r\nb\r\n", kAll, true, true, false, true},
    DataRow{"norm_lf_dot_lf", "a\n.\nb\r\n.\r\n", kNormalize, "a\r\n.\r\nb\r\n", kAll, true, true, false, true},
    DataRow{"norm_lf_dot_crlf", "a\n.\r\nb\r\n.\r\n", kNormalize, "a\r\n.\r\nb\r\n", kAll, true, true, false,
            true},
    DataRow{"norm_cr_dot_cr", "a\r.\rb\r\n.\r\n", kNormalize, "a\r\n.\r\nb\r\n", kAll, true, true, false, true},
    DataRow{"norm_crlf_dot_lf", "a\r\n.\nb\r\n.\r\n", kNormalize, "a\r\n\r\nb\r\n", kAll, true, true, false, true},
    DataRow{"norm_crlf_dot_cr", "a\r\n.\rb\r\n.\r\n", kNormalize, "a\r\n\r\nb\r\n", kAll, true, true, false, true},
    DataRow{"norm_smuggle_lf_only", "a\n.\n", kNormalize, "a\r\n.\r\n", kAll, false, true, false, true},
    DataRow{"norm_smuggle_lf_crlf", "a\n.\r\n", kNormalize, "a\r\n.\r\n", kAll, false, true, false, true},
    DataRow{"norm_smuggle_crlf_lf", "a\r\n.\n", kNormalize, "a\r\n\r\n", kAll, false, true, false, true}));

// --- smuggling: a second message hidden behind a fake terminator stays inside the first ----------------------

struct SmuggleRow {
  std::string fake_end;
  bool valid = false;  // under BareLineEnding::reject (no bare CR/LF, no NUL)
};

class Smuggling : public ::testing::TestWithParam<SmuggleRow> {};

TEST_P(Smuggling, FakeTerminatorNeverEndsData) {
  const std::string hidden = "MAIL FROM:<evil@example.org>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n";
  const std::string input = "Subject: hi\r\n\r\nhello" + GetParam().fake_end + hidden + "tail\r\n.\r\nQUIT\r\n";
  const std::size_t real_end = input.size() - std::string("QUIT\r\n").size();
  for (auto mode : {kReject, kNormalize}) {
    MessagePolicy policy;
    policy.bare_line_ending = mode;
    const Outcome whole = decode(input, policy);
    EXPECT_TRUE(whole.done);
    EXPECT_EQ(whole.consumed, real_end) << "fake end: " << ::testing::PrintToString(GetParam().fake_end);
    EXPECT_NE(whole.output.find("RCPT TO:<victim@example.org>"), std::string::npos);
    if (mode == kReject) { EXPECT_EQ(whole.report.is_valid(), GetParam().valid); }
    for (std::size_t i = 0; i <= input.size(); ++i) {
      expect_same(decode(input, policy, {i}), whole, "split at " + std::to_string(i));
    }
    std::vector<std::size_t> every;
    for (std::size_t i = 1; i < input.size(); ++i) every.push_back(i);
    expect_same(decode(input, policy, every), whole, "byte by byte");
  }
}

INSTANTIATE_TEST_SUITE_P(Cve2023_51764, Smuggling, ::testing::Values(
    SmuggleRow{"\n.\n"}, SmuggleRow{"\r.\r"}, SmuggleRow{"\n.\r\n"}, SmuggleRow{"\r\n.\n"},
    SmuggleRow{"\r.\r\n"}, SmuggleRow{"\r\n.\r"}, SmuggleRow{"\n.\r"}, SmuggleRow{"\r.\n"},
    SmuggleRow{"\n\n.\n\n"}, SmuggleRow{"\r\r.\r\r"}, SmuggleRow{"\r\n.\r\r\n"}, SmuggleRow{"\r\n.\n\r\n"},
    SmuggleRow{"\n.\n\r\n"}, SmuggleRow{"\r\n\n.\n"}, SmuggleRow{"\r\n.\x00\r\n"s},
    SmuggleRow{"\r\n. \r\n", true}, SmuggleRow{"\r\n..\r\n", true}, SmuggleRow{"\r\n\x0b.\r\n", true}));

// --- limits -----------------------------------------------------------------------------------------------

TEST(DataLimits, LineOf1000OctetsIncludingCrlfIsTheMaximum) {
  const std::string ok_line(998, 'x');
  EXPECT_TRUE(decode(ok_line + "\r\n.\r\n", {}).report.is_valid());
  const Outcome long_line = decode(ok_line + "x\r\n.\r\n", {});
  EXPECT_TRUE(long_line.done);
  EXPECT_TRUE(long_line.report.long_line);
  EXPECT_EQ(long_line.report.status().error().code, Errc::invalid_syntax);
  // The stuffing dot does not count (RFC 5321 4.5.3.1.6).
  EXPECT_TRUE(decode("." + ok_line + "\r\n.\r\n", {}).report.is_valid());
  EXPECT_TRUE(decode(".." + std::string(997, 'x') + "\r\n.\r\n", {}).report.is_valid());
  EXPECT_FALSE(decode(".." + ok_line + "\r\n.\r\n", {}).report.is_valid());
}

TEST(DataLimits, LineLimitIsConfigurable) {
  MessagePolicy policy;
  policy.max_line_octets = 10;
  EXPECT_TRUE(decode("12345678\r\n.\r\n", policy).report.is_valid());
  EXPECT_TRUE(decode("123456789\r\n.\r\n", policy).report.long_line);
  // A long line later in the message, split across feeds.
  EXPECT_TRUE(decode("ok\r\n123456789012\r\n.\r\n", policy, {7, 9}).report.long_line);
}

TEST(DataLimits, TooBigStopsStoringButConsumesToTheEnd) {
  MessagePolicy policy;
  policy.max_message_octets = 10;
  const Outcome at_limit = decode("01234567\r\n.\r\n", policy);
  EXPECT_TRUE(at_limit.report.is_valid());
  EXPECT_EQ(at_limit.output, "01234567\r\n");

  const std::string big = std::string(100, 'x') + "\r\n" + std::string(100, 'y') + "\r\n.\r\nQUIT\r\n";
  const Outcome over = decode(big, policy, {3, 50, 150});
  EXPECT_TRUE(over.done);
  EXPECT_EQ(over.consumed, big.size() - 6);
  EXPECT_TRUE(over.report.too_big);
  EXPECT_EQ(over.report.size, 204u);
  EXPECT_EQ(over.output, std::string(10, 'x'));
  EXPECT_EQ(over.report.status().error().code, Errc::too_big);
}

TEST(DataLimits, MemoryStaysBoundedOnHugeInput) {
  MessagePolicy policy;
  policy.max_message_octets = 1000;
  DataReader reader(policy);
  std::string out;
  const std::string block(64 * 1024, 'z');
  const std::string line = std::string(900, 'a') + "\r\n";
  for (int i = 0; i < 64; ++i) {
    ASSERT_FALSE(reader.feed(i % 2 ? block : line, out).done);
  }
  EXPECT_EQ(out.size(), 1000u);
  EXPECT_TRUE(reader.feed("\r\n.\r\n", out).done);
  EXPECT_TRUE(reader.report().too_big);
  EXPECT_TRUE(reader.report().long_line);
}

TEST(DataReader, StatusOrder) {
  MessagePolicy policy;
  policy.max_message_octets = 4;
  const Outcome all = decode("a\0b\nccccccc\r\n.\r\n"s, policy);
  EXPECT_EQ(all.report.status().error().code, Errc::too_big);
  const Outcome nul_and_bare = decode("a\0b\nc\r\n.\r\n"s, {});
  EXPECT_EQ(nul_and_bare.report.status().error().detail.find("NUL"), 0u);
  const Outcome bare = decode("a\nc\r\n.\r\n"s, {});
  EXPECT_NE(bare.report.status().error().detail.find("bare LF/CR"), std::string::npos);
}

TEST(DataReader, AfterDoneConsumesNothing) {
  DataReader reader;
  std::string out;
  EXPECT_TRUE(reader.feed(".\r\n", out).done);
  const FeedResult again = reader.feed("more", out);
  EXPECT_TRUE(again.done);
  EXPECT_EQ(again.consumed, 0u);
  EXPECT_EQ(out, "");
}

TEST(DataReader, LargeMessageByteByByteIsLinear) {
  std::string input;
  for (int i = 0; i < 20000; ++i) input += (i % 7 == 0 ? ".." : "") + std::string(40, 'm') + "\r\n";
  input += ".\r\n";
  DataReader reader;
  std::string out;
  std::size_t consumed = 0;
  for (char c : input) consumed += reader.feed(std::string_view(&c, 1), out).consumed;
  EXPECT_TRUE(reader.is_done());
  EXPECT_EQ(consumed, input.size());
  EXPECT_EQ(out.size(), 20000u * 42 + (20000 + 6) / 7);
}

// --- check_message (BDAT) ---------------------------------------------------------------------------------

struct CheckRow {
  std::string name;
  std::string message;
  BareLineEnding mode;
  std::string output;
  bool valid;
  bool bare;
  bool normalized;
};

class CheckMessage : public ::testing::TestWithParam<CheckRow> {};

TEST_P(CheckMessage, AppliesTheSameLineRules) {
  const auto& row = GetParam();
  MessagePolicy policy;
  policy.bare_line_ending = row.mode;
  std::string out;
  const MessageReport report = check_message(row.message, policy, out);
  EXPECT_EQ(out, row.output);
  EXPECT_EQ(report.is_valid(), row.valid);
  EXPECT_EQ(report.bare_line_ending, row.bare);
  EXPECT_EQ(report.normalized, row.normalized);
  const MessageReport only = check_message(row.message, policy);
  EXPECT_EQ(only.is_valid(), row.valid);
  EXPECT_EQ(only.size, out.size());
  // The incremental checker agrees in every split.
  for (std::size_t i = 0; i <= row.message.size(); ++i) {
    MessageChecker checker(policy);
    std::string split_out;
    checker.feed(std::string_view(row.message).substr(0, i), split_out);
    checker.feed(std::string_view(row.message).substr(i), split_out);
    checker.finish(split_out);
    EXPECT_EQ(split_out, row.output) << row.name << " split at " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Rfc3030, CheckMessage, ::testing::Values(
    CheckRow{"empty", "", kReject, "", true, false, false},
    CheckRow{"crlf_lines", "A: 1\r\n\r\nbody\r\n", kReject, "A: 1\r\n\r\nbody\r\n", true, false, false},
    CheckRow{"no_final_crlf", "A: 1\r\n\r\nbody", kReject, "A: 1\r\n\r\nbody", true, false, false},
    CheckRow{"dots_untouched", ".\r\n..\r\n", kReject, ".\r\n..\r\n", true, false, false},
    CheckRow{"bare_lf", "a\nb\r\n", kReject, "a\nb\r\n", false, true, false},
    CheckRow{"bare_cr", "a\rb", kReject, "a\rb", false, true, false},
    CheckRow{"trailing_cr", "a\r", kReject, "a\r", false, true, false},
    CheckRow{"norm_bare_lf", "a\nb\r\n", kNormalize, "a\r\nb\r\n", true, false, true},
    CheckRow{"norm_trailing_cr", "a\r", kNormalize, "a\r\n", true, false, true},
    CheckRow{"norm_lf_cr", "a\n\rb", kNormalize, "a\r\n\r\nb", true, false, true},
    CheckRow{"norm_cr_crlf", "a\r\r\nb", kNormalize, "a\r\n\r\nb", true, false, true},
    CheckRow{"nul", "a\0b"s, kNormalize, "a\0b"s, false, false, false}));

TEST(CheckMessage, LongLineAndSize) {
  MessagePolicy policy;
  EXPECT_TRUE(check_message(std::string(1001, 'x'), policy).long_line);
  EXPECT_FALSE(check_message(std::string(998, 'x') + "\r\n", policy).long_line);
  policy.max_message_octets = 5;
  std::string out;
  const MessageReport report = check_message("123456", policy, out);
  EXPECT_TRUE(report.too_big);
  EXPECT_EQ(out, "12345");
  EXPECT_TRUE(check_message("123456", policy).too_big);
  EXPECT_FALSE(check_message("12345", policy).too_big);
  EXPECT_TRUE(check_message("\xFF", {}).eight_bit);
}

}  // namespace
}  // namespace bulwark::parse::smtp

// Fuzzes RFC 5256 base-subject extraction, msg-id parsing and both THREAD algorithms. Input: one message per
// line, "subject<TAB>message-id field<TAB>references field"; the date is the line's first byte.
// Invariants: extraction is idempotent on its own output for the text; every message number appears exactly
// once in each thread list, whose parentheses balance.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "domain/mail/base_subject.h"
#include "domain/mail/thread.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

void check_list(const std::string& list, std::size_t count) {
  int depth = 0;
  std::vector<int> seen(count + 1, 0);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const char c = list[i];
    if (c == '(') ++depth;
    else if (c == ')') check(--depth >= 0);
    else if (c >= '0' && c <= '9') {
      std::size_t n = 0;
      while (i < list.size() && list[i] >= '0' && list[i] <= '9') n = n * 10 + static_cast<std::size_t>(list[i++] - '0');
      --i;
      check(n >= 1 && n <= count);
      ++seen[n];
    } else {
      check(c == ' ');
    }
  }
  check(depth == 0);
  for (std::size_t n = 1; n <= count; ++n) check(seen[n] == 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark::domain::mail;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<ThreadMessage> messages;
  std::size_t start = 0;
  while (start < text.size() && messages.size() < 200) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    const std::size_t tab1 = line.find('\t');
    const std::size_t tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
    ThreadMessage m;
    m.number = static_cast<std::uint32_t>(messages.size() + 1);
    m.sent_date = line.empty() ? 0 : static_cast<unsigned char>(line[0]) % 8;
    m.subject = extract_base_subject(line.substr(0, tab1));
    const BaseSubject again = extract_base_subject(m.subject.text);
    check(again.text == m.subject.text);
    if (tab1 != std::string_view::npos) {
      auto ids = parse_msg_ids(line.substr(tab1 + 1, tab2 == std::string_view::npos ? std::string_view::npos : tab2 - tab1 - 1), 1);
      if (!ids.empty()) m.message_id = ids.front();
    }
    if (tab2 != std::string_view::npos) m.references = parse_msg_ids(line.substr(tab2 + 1), 16);
    for (const auto& id : m.references) check(id.find('@') != std::string::npos);
    messages.push_back(std::move(m));
  }
  check_list(format_thread_list(thread_references(messages)), messages.size());
  check_list(format_thread_list(thread_ordered_subject(messages)), messages.size());
  return 0;
}

#include "protocol/imap/search_run.h"

#include <limits>

#include "parse/mime/header.h"
#include "protocol/imap/search_matcher.h"

namespace bulwark::protocol::imap {

Result<std::vector<SearchHit>> run_search(store::MailStore& mail, const store::Principal& who,
                                          store::MailboxRef ref, const std::vector<store::MessageFlags>& messages,
                                          const parse::imap::SearchKey& key, SearchLoad load) {
  std::vector<SearchHit> out;
  if (messages.empty()) return out;
  const SearchScope scope{static_cast<std::uint32_t>(messages.size()), messages.back().uid, load.max_text_bytes};
  const bool need_content = needs_content(key);
  BULWARK_TRY_ASSIGN(auto records,
                     mail.list_messages(who, ref, messages.front().uid, std::numeric_limits<std::uint32_t>::max()));
  std::size_t r = 0;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    while (r < records.size() && records[r].uid < m.uid) ++r;
    SearchMessage message;
    message.seq = static_cast<std::uint32_t>(i + 1);
    message.uid = m.uid;
    message.modseq = m.modseq;
    message.flags = &m.flags;
    std::string raw;
    store::MessageRecord* record = nullptr;
    if (r < records.size() && records[r].uid == m.uid) {
      record = &records[r];
      message.internal_date = record->internal_date;
      message.size = record->size;
      if (need_content) {
        auto bytes = mail.read_message(who, ref, m.uid);
        if (bytes) raw = std::move(*bytes);
      }
    } else if (need_content || load.keep_structure || load.keep_header) {
      continue;  // expunged by another session: its content is gone
    }
    message.raw = raw;
    if (!matches(key, message, scope)) continue;
    SearchHit hit{message.seq, m.uid, m.modseq, message.internal_date, message.size, {}, {}};
    if (record != nullptr && load.keep_structure) hit.structure = std::move(record->structure);
    if (load.keep_header) {
      if (raw.empty()) {
        auto bytes = mail.read_message(who, ref, m.uid);
        if (bytes) raw = std::move(*bytes);
      }
      const auto header = parse::mime::parse_header(raw);
      raw.resize(std::min(header.size(), raw.size()));
      hit.header = std::move(raw);
    }
    out.push_back(std::move(hit));
  }
  return out;
}

void substitute_saved(parse::imap::SearchKey& key, const std::vector<std::uint32_t>& saved_uids) {
  std::vector<parse::imap::SearchKey*> stack{&key};
  while (!stack.empty()) {
    parse::imap::SearchKey* node = stack.back();
    stack.pop_back();
    if ((node->kind == parse::imap::SearchKeyKind::sequence_set || node->kind == parse::imap::SearchKeyKind::uid) &&
        node->sequence_set.is_saved_result()) {
      std::vector<parse::imap::SequenceSet::Range> ranges;
      for (auto uid : saved_uids) ranges.push_back({uid, uid});
      node->kind = parse::imap::SearchKeyKind::uid;
      node->sequence_set = parse::imap::SequenceSet::from_ranges(std::move(ranges));
    }
    for (auto& child : node->children) stack.push_back(&child);
  }
}

bool is_supported_search_charset(std::string_view upper_case_charset) noexcept {
  return upper_case_charset == "UTF-8" || upper_case_charset == "US-ASCII";
}

}  // namespace bulwark::protocol::imap

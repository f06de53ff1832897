#include "protocol/imap/search_run.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <unordered_map>

#include "parse/mime/header.h"
#include "protocol/imap/search_matcher.h"
#include "protocol/imap/search_text.h"

namespace bulwark::protocol::imap {
namespace {

using parse::imap::SearchKey;
using parse::imap::SearchKeyKind;

// The store's search index as a conservative pre-check (docs/search-index.md): may_match() is false only when
// the criterion cannot match the message, so skipping those messages changes no result. BODY and TEXT keys
// outside any NOT ask the index for candidates; every other key, and a key the index cannot serve, says
// "may match".
class Prefilter {
 public:
  Prefilter(store::MailStore& mail, const store::Principal& who, store::MailboxRef ref, const SearchKey& key) {
    collect(mail, who, ref, key);
  }

  bool is_active() const { return !candidates_.empty(); }

  bool may_match(const SearchKey& key, std::uint32_t uid) const {
    switch (key.kind) {
      case SearchKeyKind::and_all:
        return std::all_of(key.children.begin(), key.children.end(),
                           [&](const SearchKey& k) { return may_match(k, uid); });
      case SearchKeyKind::or_either:
        return key.children.size() != 2 || may_match(key.children[0], uid) || may_match(key.children[1], uid);
      case SearchKeyKind::body:
      case SearchKeyKind::text: {
        auto it = candidates_.find(&key);
        return it == candidates_.end() || std::binary_search(it->second.begin(), it->second.end(), uid);
      }
      default:
        return true;
    }
  }

 private:
  void collect(store::MailStore& mail, const store::Principal& who, store::MailboxRef ref, const SearchKey& key) {
    switch (key.kind) {
      case SearchKeyKind::and_all:
      case SearchKeyKind::or_either:
        for (const auto& child : key.children) collect(mail, who, ref, child);
        return;
      case SearchKeyKind::body:
      case SearchKeyKind::text: {
        if (key.text.empty()) return;
        const auto needle = fold_for_search(key.text);
        auto uids = mail.search_candidates(who, ref, needle);
        if (uids) candidates_.emplace(&key, std::move(*uids));  // otherwise: this key is checked on every message
        return;
      }
      default:
        return;  // NOT and the rest: no pruning below them
    }
  }

  std::unordered_map<const SearchKey*, std::vector<std::uint32_t>> candidates_;
};

}  // namespace

Result<std::vector<SearchHit>> run_search(store::MailStore& mail, const store::Principal& who,
                                          store::MailboxRef ref, const std::vector<store::MessageFlags>& messages,
                                          const parse::imap::SearchKey& key, SearchLoad load) {
  std::vector<SearchHit> out;
  if (messages.empty()) return out;
  const SearchScope scope{static_cast<std::uint32_t>(messages.size()), messages.back().uid, load.max_text_bytes};
  const bool need_content = needs_content(key);
  std::optional<Prefilter> prefilter;
  if (need_content) prefilter.emplace(mail, who, ref, key);
  const bool use_prefilter = prefilter && prefilter->is_active();
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
      if (use_prefilter && !prefilter->may_match(key, m.uid)) continue;  // cannot match: not read at all
      if (need_content) {
        if (load.messages_read != nullptr) ++*load.messages_read;
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

// SEARCH and UID SEARCH (RFC 9051 6.4.4; RFC 4731 ESEARCH RETURN (MIN MAX ALL COUNT); RFC 7162 3.1.5 MODSEQ).
// With IMAP4rev2 enabled, or with RETURN, the answer is ESEARCH; otherwise the IMAP4rev1 SEARCH response.
// Messages are evaluated on the blocking pool (search_matcher.h); the raw message is read only when a key
// needs headers or text.
#include <algorithm>
#include <limits>

#include "protocol/imap/imap_session.h"
#include "protocol/imap/response_format.h"
#include "protocol/imap/search_matcher.h"

namespace bulwark::protocol::imap {
namespace {

struct Hit {
  std::uint32_t seq = 0;
  std::uint32_t uid = 0;
  std::uint64_t modseq = 0;
};

}  // namespace

net::awaitable<Reply> ImapSession::on_search(parse::imap::Command command) {
  using parse::imap::SearchReturnOption;
  const bool is_uid = command.is_uid();
  auto args = std::get<parse::imap::SearchArgs>(std::move(command.args));
  if (args.charset && *args.charset != "US-ASCII" && *args.charset != "UTF-8") {
    co_return Reply::no("[BADCHARSET (US-ASCII UTF-8)] Unsupported charset");
  }
  auto options = args.return_options;
  if (options && std::find(options->begin(), options->end(), SearchReturnOption::save) != options->end()) {
    co_return Reply::bad("SAVE is not supported (no SEARCHRES)");
  }
  const bool with_modseq = uses_modseq(args.key);
  if (with_modseq) condstore_enabled_ = true;
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  const auto ref = selected_->ref;
  const bool need_content = needs_content(args.key);
  auto messages = selected_->view.messages();
  SearchScope scope{static_cast<std::uint32_t>(messages.size()), messages.empty() ? 0 : messages.back().uid};
  auto job = [&mail, who, ref, need_content, messages = std::move(messages), scope,
                                 key = std::move(args.key)]() -> Result<std::vector<Hit>> {
    std::vector<Hit> out;
    if (messages.empty()) return out;
    BULWARK_TRY_ASSIGN(auto records, mail.list_messages(who, ref, 1, std::numeric_limits<std::uint32_t>::max()));
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
      if (r < records.size() && records[r].uid == m.uid) {
        message.internal_date = records[r].internal_date;
        message.size = records[r].size;
        if (need_content) {
          auto bytes = mail.read_message(who, ref, m.uid);
          if (bytes) raw = std::move(*bytes);
        }
      } else if (need_content) {
        continue;  // expunged by another session: its content is gone
      }
      message.raw = raw;
      if (matches(key, message, scope)) out.push_back(Hit{message.seq, m.uid, m.modseq});
    }
    return out;
  };
  auto hits = co_await net::run_blocking(connection_->blocking, std::move(job));
  if (!hits) co_return store_error(hits.error(), "SEARCH");

  std::uint64_t highest = 0;
  std::vector<std::uint32_t> numbers;
  for (const auto& hit : *hits) {
    numbers.push_back(is_uid ? hit.uid : hit.seq);
    highest = std::max(highest, hit.modseq);
  }
  if (!options && rev2_enabled_) options.emplace();
  if (!options) {
    std::string line = "SEARCH";
    for (auto n : numbers) line += " " + std::to_string(n);
    if (with_modseq && !numbers.empty()) line += " (MODSEQ " + std::to_string(highest) + ")";
    untagged(line);
    co_return Reply::ok("SEARCH completed");
  }
  if (options->empty()) options->push_back(SearchReturnOption::all);
  auto has = [&](SearchReturnOption option) { return std::find(options->begin(), options->end(), option) != options->end(); };
  std::string line = "ESEARCH (TAG \"" + command.tag + "\")";
  if (is_uid) line += " UID";
  if (!numbers.empty()) {
    if (has(SearchReturnOption::min)) line += " MIN " + std::to_string(*std::min_element(numbers.begin(), numbers.end()));
    if (has(SearchReturnOption::max)) line += " MAX " + std::to_string(*std::max_element(numbers.begin(), numbers.end()));
  }
  if (has(SearchReturnOption::count)) line += " COUNT " + std::to_string(numbers.size());
  if (!numbers.empty() && has(SearchReturnOption::all)) line += " ALL " + number_set(numbers);
  if (with_modseq && !numbers.empty()) line += " MODSEQ " + std::to_string(highest);
  untagged(line);
  co_return Reply::ok("SEARCH completed");
}

}  // namespace bulwark::protocol::imap

// SEARCH and UID SEARCH (RFC 9051 6.4.4; RFC 4731 ESEARCH RETURN (MIN MAX ALL COUNT); RFC 7162 3.1.5 MODSEQ;
// RFC 5182 SEARCHRES: RETURN (SAVE) and "$", also RFC 9051 6.4.4.1).
// With IMAP4rev2 enabled, or with RETURN, the answer is ESEARCH; otherwise the IMAP4rev1 SEARCH response.
// The saved result is kept as UIDs in SelectedMailbox::saved_uids, so expunges need no bookkeeping: resolve()
// and the substitution below only ever name UIDs still in the view.
// Messages are evaluated on the blocking pool (search_matcher.h); the raw message is read only when a key
// needs headers or text.
#include <algorithm>
#include <limits>
#include <memory>

#include "protocol/imap/imap_session.h"
#include "protocol/imap/response_format.h"
#include "protocol/imap/search_matcher.h"
#include "protocol/imap/search_run.h"

namespace bulwark::protocol::imap {
namespace {

// RFC 5182 2.4: SAVE with MIN and/or MAX saves just those; otherwise the whole result.
std::vector<std::uint32_t> result_to_save(const std::vector<parse::imap::SearchReturnOption>& options,
                                          const std::vector<SearchHit>& hits) {
  using parse::imap::SearchReturnOption;
  auto has = [&](SearchReturnOption option) { return std::find(options.begin(), options.end(), option) != options.end(); };
  std::vector<std::uint32_t> uids;
  if (hits.empty()) return uids;
  const bool min = has(SearchReturnOption::min);
  const bool max = has(SearchReturnOption::max);
  if (!min && !max) {
    for (const auto& hit : hits) uids.push_back(hit.uid);
    return uids;
  }
  if (min) uids.push_back(hits.front().uid);
  if (max && (!min || hits.back().uid != hits.front().uid)) uids.push_back(hits.back().uid);
  return uids;
}

}  // namespace

net::awaitable<Reply> ImapSession::on_search(parse::imap::Command command) {
  using parse::imap::SearchReturnOption;
  const bool is_uid = command.is_uid();
  auto args = std::get<parse::imap::SearchArgs>(std::move(command.args));
  if (args.charset && !is_supported_search_charset(*args.charset)) co_return Reply::no(std::string(kBadCharsetReply));
  auto options = args.return_options;
  const bool is_save =
      options && std::find(options->begin(), options->end(), SearchReturnOption::save) != options->end();
  substitute_saved(args.key, selected_->saved_uids);
  const bool with_modseq = uses_modseq(args.key);
  if (with_modseq) condstore_enabled_ = true;
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  const auto ref = selected_->ref;
  auto messages = selected_->view.messages();
  const auto max_text_bytes = config_->limits.max_search_text_bytes;
  const auto in_view = messages.size();
  auto read = std::make_shared<std::size_t>(0);  // the search index's effect, for the debug log
  auto job = [&mail, who, ref, messages = std::move(messages), key = std::move(args.key), max_text_bytes,
              read]() -> Result<std::vector<SearchHit>> {
    SearchLoad load;
    load.max_text_bytes = max_text_bytes;
    load.messages_read = read.get();
    return run_search(mail, who, ref, messages, key, load);
  };
  auto hits = co_await net::run_blocking(connection_->blocking, std::move(job));
  connection_->log.debug("SEARCH read {} of {} messages", *read, in_view);
  if (!hits) {
    if (is_save) selected_->saved_uids.clear();  // RFC 5182 2.1: a failed SAVE leaves an empty result
    co_return store_error(hits.error(), "SEARCH");
  }
  if (is_save) {
    selected_->saved_uids = result_to_save(*options, *hits);
    std::erase(*options, SearchReturnOption::save);
    // RFC 5182 2.4: SAVE alone returns no ESEARCH response.
    if (options->empty()) co_return Reply::ok("SEARCH completed, result saved");
  }

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

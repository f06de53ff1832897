// SORT, UID SORT (RFC 5256 3; RFC 5267 ESORT RETURN (MIN MAX ALL COUNT); RFC 5957 DISPLAYFROM/DISPLAYTO) and
// THREAD, UID THREAD (RFC 5256 3, ORDEREDSUBJECT and REFERENCES). The search runs as for SEARCH
// (search_run.h); sort values come from the ENVELOPE cached at delivery, so only THREAD REFERENCES reads
// message headers (for References). The orderings themselves are pure (sort_order.h, domain/mail/thread.h).
#include <algorithm>

#include "domain/mail/thread.h"
#include "parse/mime/encoded_word.h"
#include "parse/mime/message_structure.h"
#include "parse/mime/structure_cache.h"
#include "protocol/imap/imap_session.h"
#include "protocol/imap/response_format.h"
#include "protocol/imap/search_run.h"
#include "protocol/imap/sort_order.h"

namespace bulwark::protocol::imap {
namespace {

// The top-level ENVELOPE of a hit: from the cached structure, else parsed from the message now.
parse::mime::Envelope envelope_of(store::MailStore& mail, const store::Principal& who, store::MailboxRef ref,
                                  const SearchHit& hit) {
  if (!hit.structure.empty()) {
    auto decoded = parse::mime::decode_structure(hit.structure);
    if (decoded && decoded->envelope) return *decoded->envelope;
  }
  auto raw = mail.read_message(who, ref, hit.uid);
  if (!raw) return {};
  return parse::mime::build_envelope(parse::mime::parse_header(*raw));
}

domain::mail::ThreadMessage thread_message(const SearchHit& hit, const parse::mime::Envelope& envelope,
                                           bool is_uid, bool with_references, std::size_t max_references) {
  domain::mail::ThreadMessage message;
  message.number = is_uid ? hit.uid : hit.seq;
  SortValues values;
  fill_sort_values(envelope, hit.internal_date, values);
  message.sent_date = values.sent_date;
  if (envelope.subject) {
    message.subject = domain::mail::extract_base_subject(parse::mime::decode_encoded_words(*envelope.subject));
  }
  if (!with_references) return message;
  const auto header = parse::mime::parse_header(hit.header);
  if (auto id = header.unfolded("Message-ID")) {
    auto ids = domain::mail::parse_msg_ids(*id, 1);
    if (!ids.empty()) message.message_id = std::move(ids.front());
  }
  // RFC 5256 REFERENCES step 1: References, else the first msg-id of In-Reply-To.
  if (auto references = header.unfolded("References")) message.references = domain::mail::parse_msg_ids(*references, max_references);
  if (message.references.empty()) {
    if (auto in_reply_to = header.unfolded("In-Reply-To")) {
      auto ids = domain::mail::parse_msg_ids(*in_reply_to);
      if (!ids.empty()) message.references.push_back(std::move(ids.front()));
    }
  }
  return message;
}

}  // namespace

net::awaitable<Reply> ImapSession::on_sort(parse::imap::Command command) {
  using parse::imap::SearchReturnOption;
  const bool is_uid = command.is_uid();
  auto args = std::get<parse::imap::SortArgs>(std::move(command.args));
  if (!is_supported_search_charset(args.charset)) co_return Reply::no(std::string(kBadCharsetReply));
  auto options = args.return_options;
  if (options && std::find(options->begin(), options->end(), SearchReturnOption::save) != options->end()) {
    co_return Reply::bad("SAVE is not supported (no SEARCHRES)");
  }
  substitute_saved(args.key, selected_->saved_uids);
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  const auto ref = selected_->ref;
  auto messages = selected_->view.messages();
  // ARRIVAL and SIZE come with the message list; the other keys need the cached ENVELOPE.
  const bool needs_envelope = std::any_of(args.criteria.begin(), args.criteria.end(), [](const auto& c) {
    return c.key != parse::imap::SortKey::arrival && c.key != parse::imap::SortKey::size;
  });
  const auto max_text_bytes = config_->limits.max_search_text_bytes;
  auto job = [&mail, who, ref, is_uid, needs_envelope, messages = std::move(messages), key = std::move(args.key),
              criteria = std::move(args.criteria), max_text_bytes]() -> Result<std::vector<std::uint32_t>> {
    BULWARK_TRY_ASSIGN(auto hits,
                       run_search(mail, who, ref, messages, key, SearchLoad{needs_envelope, false, max_text_bytes}));
    std::vector<SortValues> values(hits.size());
    for (std::size_t i = 0; i < hits.size(); ++i) {
      values[i].number = is_uid ? hits[i].uid : hits[i].seq;
      values[i].arrival = hits[i].internal_date;
      values[i].size = hits[i].size;
      if (needs_envelope) fill_sort_values(envelope_of(mail, who, ref, hits[i]), hits[i].internal_date, values[i]);
    }
    return sort_numbers(std::move(values), criteria);
  };
  auto sorted = co_await net::run_blocking(connection_->blocking, std::move(job));
  if (!sorted) co_return store_error(sorted.error(), "SORT");
  if (!options) {
    std::string line = "SORT";
    for (auto n : *sorted) line += " " + std::to_string(n);
    untagged(line);
    co_return Reply::ok("SORT completed");
  }
  // RFC 5267 3.2: MIN and MAX are the first and last in sort order; ALL keeps the sort order.
  if (options->empty()) options->push_back(SearchReturnOption::all);
  auto has = [&](SearchReturnOption option) {
    return std::find(options->begin(), options->end(), option) != options->end();
  };
  std::string line = "ESEARCH (TAG \"" + command.tag + "\")";
  if (is_uid) line += " UID";
  if (!sorted->empty()) {
    if (has(SearchReturnOption::min)) line += " MIN " + std::to_string(sorted->front());
    if (has(SearchReturnOption::max)) line += " MAX " + std::to_string(sorted->back());
  }
  if (has(SearchReturnOption::count)) line += " COUNT " + std::to_string(sorted->size());
  if (!sorted->empty() && has(SearchReturnOption::all)) line += " ALL " + number_set(*sorted, false);
  untagged(line);
  co_return Reply::ok("SORT completed");
}

net::awaitable<Reply> ImapSession::on_thread(parse::imap::Command command) {
  const bool is_uid = command.is_uid();
  auto args = std::get<parse::imap::ThreadArgs>(std::move(command.args));
  if (!is_supported_search_charset(args.charset)) co_return Reply::no(std::string(kBadCharsetReply));
  const bool with_references = args.algorithm == parse::imap::ThreadAlgorithm::references;
  substitute_saved(args.key, selected_->saved_uids);
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  const auto ref = selected_->ref;
  auto messages = selected_->view.messages();
  const auto max_text_bytes = config_->limits.max_search_text_bytes;
  const auto max_references = config_->limits.max_thread_references;
  auto job = [&mail, who, ref, is_uid, with_references, messages = std::move(messages), key = std::move(args.key),
              max_text_bytes, max_references]() -> Result<std::string> {
    BULWARK_TRY_ASSIGN(auto hits,
                       run_search(mail, who, ref, messages, key, SearchLoad{true, with_references, max_text_bytes}));
    std::vector<domain::mail::ThreadMessage> input;
    input.reserve(hits.size());
    for (const auto& hit : hits) {
      input.push_back(
          thread_message(hit, envelope_of(mail, who, ref, hit), is_uid, with_references, max_references));
    }
    const auto forest = with_references ? domain::mail::thread_references(input)
                                        : domain::mail::thread_ordered_subject(input);
    return domain::mail::format_thread_list(forest);
  };
  auto threads = co_await net::run_blocking(connection_->blocking, std::move(job));
  if (!threads) co_return store_error(threads.error(), "THREAD");
  untagged(threads->empty() ? std::string("THREAD") : "THREAD " + *threads);
  co_return Reply::ok("THREAD completed");
}

}  // namespace bulwark::protocol::imap

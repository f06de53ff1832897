// QRESYNC (RFC 7162 3.2): quick mailbox resynchronization.
//  - SELECT/EXAMINE mailbox (QRESYNC (uidvalidity modseq [known-uids [seq-match-data]])) (3.2.5): when the
//    UIDVALIDITY matches, after the usual SELECT responses, "VANISHED (EARLIER) uids" for the messages expunged
//    after modseq and one FETCH (UID FLAGS MODSEQ) per message changed after it, both limited to known-uids when
//    given. The store keeps every expunged uid with its modseq (the `expunged` table, kept across restarts), so
//    the answer is exact and seq-match-data, a hint for servers that forget expunges, is not needed.
//  - UID FETCH set (CHANGEDSINCE modseq VANISHED) (3.2.6): "VANISHED (EARLIER) uids" for the uids of the set
//    expunged after modseq, before the FETCH responses (cmd_fetch.cpp).
#include "protocol/imap/imap_session.h"
#include "protocol/imap/response_format.h"

namespace bulwark::protocol::imap {

net::awaitable<Status> ImapSession::write_vanished_earlier(std::uint64_t since, parse::imap::SequenceSet within) {
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  const auto ref = selected_->ref;
  auto job = [&mail, who, ref, since] { return mail.changes_since(who, ref, since); };
  auto changes = co_await net::run_blocking(connection_->blocking, std::move(job));
  if (!changes) co_return tl::unexpected(changes.error());
  // "*" in the set means the largest uid the mailbox ever had, not only the largest still present.
  const std::uint32_t largest = std::max(selected_->view.largest_uid(), changes->state.uid_next - 1);
  std::vector<std::uint32_t> vanished;
  for (auto uid : changes->expunged) {
    if (within.contains(uid, largest)) vanished.push_back(uid);
  }
  if (!vanished.empty()) untagged("VANISHED (EARLIER) " + number_set(std::move(vanished)));
  co_return Status{};
}

net::awaitable<Status> ImapSession::qresync_select(parse::imap::QresyncParams params) {
  auto& view = selected_->view;
  if (params.uidvalidity != view.uid_validity()) co_return Status{};  // the client must resync from scratch
  parse::imap::SequenceSet everything;
  if (auto all = parse::imap::SequenceSet::parse("1:*")) everything = std::move(*all);
  const parse::imap::SequenceSet known = params.known_uids ? *params.known_uids : everything;
  auto vanished = co_await write_vanished_earlier(params.modseq, known);
  if (!vanished) co_return vanished;
  const auto largest = view.largest_uid();
  for (std::uint32_t seq = 1; seq <= view.exists(); ++seq) {
    const auto& message = view.at(seq);
    if (message.modseq > params.modseq && known.contains(message.uid, largest)) write_flags_fetch(seq, true);
  }
  co_return Status{};
}

}  // namespace bulwark::protocol::imap

// Message threading for IMAP THREAD (RFC 5256 3 "ORDEREDSUBJECT" and "REFERENCES", with the sent date of
// 2.2 and the base subject of 2.1).
//
// Contract: the caller passes the messages that matched the search, in ascending message-number order, each
// with its number (sequence number or UID: whatever the answer lists), its sent date (the Date header in UTC,
// or INTERNALDATE when Date is missing or unreadable, RFC 5256 2.2), its base subject (base_subject.h), and for
// REFERENCES its Message-ID and parent references (the msg-ids of References, else the first of In-Reply-To;
// see parse_msg_ids()). Ties in sent date are broken by the order of the input. The result is a forest whose
// nodes are messages or dummies (number 0, REFERENCES only: a missing common parent of several threads).
// Pure and without recursion: a reply chain as long as the mailbox (a client can send one) costs no stack.
// The forest is flat (indexes into `nodes`) for the same reason: a nested tree would be destroyed recursively.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/mail/base_subject.h"

namespace bulwark::domain::mail {

struct ThreadMessage {
  std::uint32_t number = 0;  // non-zero
  std::int64_t sent_date = 0;
  BaseSubject subject;
  std::string message_id;               // without angle brackets; empty when missing or invalid
  std::vector<std::string> references;  // parents, oldest first, without angle brackets
};

struct ThreadNode {
  std::uint32_t number = 0;             // 0: a dummy
  std::vector<std::size_t> children;    // indexes into ThreadForest::nodes, in thread order
};

struct ThreadForest {
  std::vector<ThreadNode> nodes;
  std::vector<std::size_t> roots;  // in thread order
};

[[nodiscard]] ThreadForest thread_ordered_subject(const std::vector<ThreadMessage>& messages);
[[nodiscard]] ThreadForest thread_references(const std::vector<ThreadMessage>& messages);

// The msg-ids ("<left@right>") in a Message-ID / References / In-Reply-To value, without brackets, in order.
// Text outside angle brackets (comments, phrases of obsolete In-Reply-To forms) is skipped. At most
// max_ids are returned (the last ones: the nearest ancestors matter most); IMAP THREAD passes
// `[limits] max_thread_references`.
inline constexpr std::size_t kMaxReferences = 256;
[[nodiscard]] std::vector<std::string> parse_msg_ids(std::string_view value, std::size_t max_ids = kMaxReferences);

// The RFC 5256 4 thread-list wire form, e.g. "(2)(3 6 (4 23)(44 7 96))"; "" for no threads.
[[nodiscard]] std::string format_thread_list(const ThreadForest& threads);

}  // namespace bulwark::domain::mail

// Command: the parsed form of one IMAP client command (RFC 9051 6, RFC 3501 6, and the extensions named
// at each argument type). Produced by parse_command() (command_parser.h); consumed by the IMAP front-end.
//
// Contract: every string is owned and already unquoted/unescaped; mailbox names are as sent on the wire
// (modified UTF-7, or UTF-8 with UTF8=ACCEPT) except that INBOX is normalized (mailbox_name.h). `args` holds
// the alternative that CommandName names (std::monostate for commands without arguments).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "parse/imap/date_time.h"
#include "parse/imap/fetch_item.h"
#include "parse/imap/search_key.h"
#include "parse/imap/sequence_set.h"

namespace bulwark::parse::imap {

enum class CommandName {
  capability, noop, logout,                              // 6.1
  starttls, authenticate, login,                         // 6.2
  enable, select, examine, create, delete_, rename,      // 6.3
  subscribe, unsubscribe, list, lsub, namespace_, status, append, idle,
  check, close, unselect, expunge, search, fetch, store, copy, move,  // 6.4
  uid_expunge, uid_search, uid_fetch, uid_store, uid_copy, uid_move,  // 6.4.9 UID ...
  sort, uid_sort, thread, uid_thread,                     // RFC 5256
  getquota, getquotaroot, setquota,                       // RFC 9208
  id,                                                     // RFC 2971
  compress,                                               // RFC 4978
};

// RFC 9051 6.2.2; SASL-IR RFC 4959: "=" is an empty initial response.
struct AuthenticateArgs {
  std::string mechanism;                         // upper-cased
  std::optional<std::string> initial_response;   // base64 as sent, "" for "="
  friend bool operator==(const AuthenticateArgs&, const AuthenticateArgs&) = default;
};

struct LoginArgs {  // 6.2.3
  std::string userid;
  std::string password;
  friend bool operator==(const LoginArgs&, const LoginArgs&) = default;
};

struct EnableArgs {  // 6.3.1, RFC 5161
  std::vector<std::string> capabilities;  // upper-cased
  friend bool operator==(const EnableArgs&, const EnableArgs&) = default;
};

struct QresyncParams {  // RFC 7162 3.2.5
  std::uint32_t uidvalidity = 0;
  std::uint64_t modseq = 0;
  std::optional<SequenceSet> known_uids;
  std::optional<SequenceSet> known_sequence_numbers;  // seq-match-data: both or neither
  std::optional<SequenceSet> known_sequence_uids;
  friend bool operator==(const QresyncParams&, const QresyncParams&) = default;
};

struct SelectArgs {  // 6.3.2 SELECT, 6.3.3 EXAMINE
  std::string mailbox;
  bool is_condstore = false;
  std::optional<QresyncParams> qresync;
  friend bool operator==(const SelectArgs&, const SelectArgs&) = default;
};

struct CreateArgs {  // 6.3.4; USE RFC 6154 3
  std::string mailbox;
  std::vector<std::string> special_use;  // e.g. "\\Drafts"
  friend bool operator==(const CreateArgs&, const CreateArgs&) = default;
};

struct MailboxArgs {  // DELETE, SUBSCRIBE, UNSUBSCRIBE, GETQUOTAROOT
  std::string mailbox;
  friend bool operator==(const MailboxArgs&, const MailboxArgs&) = default;
};

struct RenameArgs {  // 6.3.6
  std::string from;
  std::string to;
  friend bool operator==(const RenameArgs&, const RenameArgs&) = default;
};

enum class StatusItem { messages, uidnext, uidvalidity, unseen, deleted, size, recent, highestmodseq, appendlimit };

// 6.3.9 LIST with RFC 5258 LIST-EXTENDED, RFC 5819 LIST-STATUS, RFC 6154 SPECIAL-USE; also LSUB (6.3.x of 3501).
struct ListArgs {
  bool is_extended = false;  // selection options, several patterns or RETURN were used
  bool select_subscribed = false;
  bool select_remote = false;
  bool select_recursive_match = false;
  bool select_special_use = false;
  std::string reference;
  std::vector<std::string> patterns;
  bool return_subscribed = false;
  bool return_children = false;
  bool return_special_use = false;
  std::optional<std::vector<StatusItem>> return_status;
  friend bool operator==(const ListArgs&, const ListArgs&) = default;
};

struct StatusArgs {  // 6.3.11
  std::string mailbox;
  std::vector<StatusItem> items;
  friend bool operator==(const StatusArgs&, const StatusArgs&) = default;
};

struct AppendMessage {  // 6.3.12, RFC 3502 MULTIAPPEND, RFC 3516 literal8
  std::vector<std::string> flags;
  std::optional<DateTime> internal_date;
  std::string content;
  bool is_literal8 = false;
  friend bool operator==(const AppendMessage&, const AppendMessage&) = default;
};

struct AppendArgs {
  std::string mailbox;
  std::vector<AppendMessage> messages;  // one without MULTIAPPEND
  friend bool operator==(const AppendArgs&, const AppendArgs&) = default;
};

enum class SearchReturnOption { min, max, all, count, save };  // RFC 4731, RFC 5182

struct SearchArgs {  // 6.4.4 SEARCH / UID SEARCH
  std::optional<std::vector<SearchReturnOption>> return_options;  // present: ESEARCH answer; () means ALL
  std::optional<std::string> charset;                             // upper-cased
  SearchKey key;                                                  // kind and_all at the top
  friend bool operator==(const SearchArgs&, const SearchArgs&) = default;
};

enum class SortKey { arrival, cc, date, from, size, subject, to, display_from, display_to };

struct SortCriterion {
  SortKey key = SortKey::arrival;
  bool is_reverse = false;
  friend bool operator==(const SortCriterion&, const SortCriterion&) = default;
};

struct SortArgs {  // RFC 5256 3; RFC 5267 ESORT RETURN
  std::optional<std::vector<SearchReturnOption>> return_options;
  std::vector<SortCriterion> criteria;
  std::string charset;
  SearchKey key;
  friend bool operator==(const SortArgs&, const SortArgs&) = default;
};

enum class ThreadAlgorithm { orderedsubject, references };

struct ThreadArgs {  // RFC 5256 3
  ThreadAlgorithm algorithm = ThreadAlgorithm::references;
  std::string charset;
  SearchKey key;
  friend bool operator==(const ThreadArgs&, const ThreadArgs&) = default;
};

struct FetchArgs {  // 6.4.5; RFC 7162 3.1.4.1 CHANGEDSINCE, 3.2.6 VANISHED
  SequenceSet sequence_set;
  std::vector<FetchItem> items;
  std::optional<std::uint64_t> changed_since;
  bool is_vanished = false;
  friend bool operator==(const FetchArgs&, const FetchArgs&) = default;
};

enum class StoreMode { replace, add, remove };  // FLAGS, +FLAGS, -FLAGS

struct StoreArgs {  // 6.4.6; RFC 7162 3.1.3 UNCHANGEDSINCE
  SequenceSet sequence_set;
  StoreMode mode = StoreMode::replace;
  bool is_silent = false;
  std::vector<std::string> flags;
  std::optional<std::uint64_t> unchanged_since;
  friend bool operator==(const StoreArgs&, const StoreArgs&) = default;
};

struct CopyArgs {  // 6.4.7 COPY, 6.4.8 MOVE
  SequenceSet sequence_set;
  std::string mailbox;
  friend bool operator==(const CopyArgs&, const CopyArgs&) = default;
};

struct UidExpungeArgs {  // 6.4.9, RFC 4315
  SequenceSet sequence_set;
  friend bool operator==(const UidExpungeArgs&, const UidExpungeArgs&) = default;
};

struct QuotaRootArgs {  // RFC 9208 4.2 GETQUOTA
  std::string root;
  friend bool operator==(const QuotaRootArgs&, const QuotaRootArgs&) = default;
};

struct SetQuotaArgs {  // RFC 9208 4.4
  std::string root;
  std::vector<std::pair<std::string, std::uint64_t>> limits;  // resource name upper-cased
  friend bool operator==(const SetQuotaArgs&, const SetQuotaArgs&) = default;
};

struct IdArgs {  // RFC 2971 3.1: NIL or up to 30 (field value) pairs
  std::optional<std::vector<std::pair<std::string, std::optional<std::string>>>> parameters;
  friend bool operator==(const IdArgs&, const IdArgs&) = default;
};

struct CompressArgs {  // RFC 4978 3
  std::string mechanism;  // "DEFLATE"
  friend bool operator==(const CompressArgs&, const CompressArgs&) = default;
};

using CommandArgs =
    std::variant<std::monostate, AuthenticateArgs, LoginArgs, EnableArgs, SelectArgs, CreateArgs, MailboxArgs,
                 RenameArgs, ListArgs, StatusArgs, AppendArgs, SearchArgs, SortArgs, ThreadArgs, FetchArgs,
                 StoreArgs, CopyArgs, UidExpungeArgs, QuotaRootArgs, SetQuotaArgs, IdArgs, CompressArgs>;

struct Command {
  std::string tag;
  CommandName name = CommandName::noop;
  CommandArgs args;

  [[nodiscard]] bool is_uid() const noexcept {
    switch (name) {
      case CommandName::uid_expunge: case CommandName::uid_search: case CommandName::uid_fetch:
      case CommandName::uid_store: case CommandName::uid_copy: case CommandName::uid_move:
      case CommandName::uid_sort: case CommandName::uid_thread:
        return true;
      default:
        return false;
    }
  }
};

}  // namespace bulwark::parse::imap

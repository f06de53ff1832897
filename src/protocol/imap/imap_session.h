// One IMAP4rev2 / IMAP4rev1 session (RFC 9051, RFC 3501) on one connection, for the `imap` (STARTTLS, port 143)
// and `imaps` (implicit TLS, port 993, RFC 8314) listeners.
//
// The session coroutine owns the connection, the command framer and all state. Commands arrive through
// parse::imap::CommandFramer (literals, LITERAL+, limits) and parse_command(); dispatch() looks the command up
// in the table of command_table.cpp {name, handler, required_state} and runs its handler, one file per command
// family (cmd_*.cpp). Handlers append untagged responses to the output buffer and return the tagged Reply;
// dispatch() then reports other sessions' changes to the selected mailbox (except after FETCH, STORE and
// SEARCH with sequence numbers, RFC 9051 7.4.1) and writes the tagged line. Store and directory calls go through
// net::run_blocking so the I/O threads never block. After every successful write the session tells the change
// notifier (Services::change_notifier); while a mailbox is selected it listens to it, so IDLE reports other
// sessions' and SMTP's changes at once (cmd_idle.cpp, change_hub.h).
//
// Deadlines (RFC 9051 5.4): before authentication a read waits at most limits.imap_preauth_timeout (and never
// longer than limits.idle_timeout); after it, limits.imap_idle_timeout (default 30 minutes, the RFC's minimum).
// Then "* BYE Autologout; idle for too long". On shutdown "* BYE Server shutting down". More than
// kMaxConsecutiveBad BAD answers in a row end the session.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/connection.h"
#include "parse/imap/command.h"
#include "parse/imap/command_framer.h"
#include "parse/imap/command_parser.h"
#include "protocol/imap/imap_reply.h"
#include "protocol/imap/mailbox_view.h"
#include "protocol/services.h"

namespace bulwark::protocol::imap {

enum class SessionState { not_authenticated, authenticated, selected, logout };

// Which state a command needs (RFC 9051 3).
enum class RequiredState { any, not_authenticated, authenticated, selected };

inline constexpr unsigned kMaxConsecutiveBad = 10;
// Before authentication a client may not make the server buffer big literals (RFC 7888 4 / RFC 9051 7.5).
inline constexpr std::uint64_t kMaxLiteralBeforeAuth = 8 * 1024;
// Flush the output buffer once it holds this much (large FETCH responses).
inline constexpr std::size_t kFlushThreshold = 256 * 1024;

class ImapSession;
using CommandHandler = net::awaitable<Reply> (ImapSession::*)(parse::imap::Command command);

struct CommandEntry {
  parse::imap::CommandName name;
  CommandHandler handler;
  RequiredState required_state;
};

struct SelectedMailbox {
  store::MailboxRef ref;
  std::string name;  // UTF-8
  bool is_read_only = false;
  MailboxView view;
  std::vector<std::uint32_t> saved_uids;  // RFC 5182 SEARCHRES "$", ascending
};

class ImapSession {
 public:
  ImapSession(std::shared_ptr<net::Connection> connection, Services& services);
  ~ImapSession();
  ImapSession(const ImapSession&) = delete;
  ImapSession& operator=(const ImapSession&) = delete;
  net::awaitable<void> run();

  // The dispatch table (command_table.cpp); nullptr for commands this server does not implement.
  static const CommandEntry* find_command(parse::imap::CommandName name);

 private:
  // --- I/O and the command loop (imap_session.cpp) ---
  net::Stream::Clock::time_point idle_deadline() const;
  void untagged(std::string_view text);  // appends "* text\r\n"
  void write(std::string_view text) { out_.append(text); }
  net::awaitable<bool> flush();
  // The next complete command. nullopt with `*timed_out` set when poll_at passed first (IDLE); nullopt
  // otherwise when the session must end (the BYE is already sent).
  // (No default arguments: g++ 12 mishandles class-type temporaries passed to a co_awaited coroutine.)
  net::awaitable<std::optional<parse::imap::FramedCommand>> read_command(
      std::optional<net::Stream::Clock::time_point> poll_at, bool* timed_out);
  net::awaitable<std::optional<parse::imap::FramedCommand>> read_next_command();
  net::awaitable<void> end_on(net::IoError error);
  net::awaitable<void> dispatch(parse::imap::FramedCommand framed);
  net::awaitable<void> finish(std::string tag, Reply reply);
  void answer_frame_error(const parse::imap::FrameError& error);
  net::awaitable<bool> answer_literal(const parse::imap::LiteralAnnouncement& literal, bool is_synchronizing);
  void count_bad(Completion status);

  // --- helpers shared by the commands ---
  bool is_utf8() const { return rev2_enabled_ || utf8_accept_enabled_; }
  bool is_auth_allowed() const;
  std::string capability_list() const;
  parse::imap::ParseOptions parse_options() const;
  // Wire mailbox name -> UTF-8 store name, or the BAD/NO reply.
  Result<std::string> mailbox_name(const std::string& wire) const;
  std::string wire_mailbox(std::string_view utf8_name) const;
  Reply store_error(const Error& error, std::string_view what) const;
  // Reports other sessions' changes to the selected mailbox as untagged EXPUNGE / EXISTS / FETCH.
  net::awaitable<void> report_changes();
  void write_updates(const ViewUpdates& updates);
  void write_flags_fetch(std::uint32_t seq, bool with_uid);
  // The UIDs a sequence set names in the selected mailbox, in ascending order, or the BAD reply for
  // message numbers beyond EXISTS.
  Result<std::vector<std::uint32_t>> resolve(const parse::imap::SequenceSet& set, bool is_uid) const;
  void deselect();
  // Removes the session's own expunged messages from the view and reports them: EXPUNGE per message, or one
  // VANISHED once QRESYNC is enabled (RFC 7162 3.2.10).
  void report_expunged(const std::vector<std::uint32_t>& uids);
  void write_expunges(const std::vector<std::uint32_t>& seqs, const std::vector<std::uint32_t>& uids);
  // After a successful write to a mailbox: wakes other sessions' IDLE (Services::change_notifier).
  void notify_changed(store::MailboxRef mailbox);
  // Subscribes to changes of the selected mailbox's owner (change_hub.h); called by SELECT/EXAMINE.
  void watch_selected();
  // Runs on the session's strand when the notifier reported a change; wakes a pending IDLE read.
  void on_mailbox_changed(std::int64_t mailbox_id);
  // "OK [CAPABILITY ...]" and the literal mode follow the state (LITERAL- before authentication, LITERAL+ after).
  void update_literal_mode();

  // --- commands ---
  // cmd_session.cpp: CAPABILITY NOOP CHECK LOGOUT ENABLE ID NAMESPACE
  net::awaitable<Reply> on_capability(parse::imap::Command command);
  net::awaitable<Reply> on_noop(parse::imap::Command command);
  net::awaitable<Reply> on_logout(parse::imap::Command command);
  net::awaitable<Reply> on_enable(parse::imap::Command command);
  net::awaitable<Reply> on_id(parse::imap::Command command);
  net::awaitable<Reply> on_namespace(parse::imap::Command command);
  // cmd_starttls.cpp
  net::awaitable<Reply> on_starttls(parse::imap::Command command);
  // cmd_auth.cpp: LOGIN AUTHENTICATE
  net::awaitable<Reply> on_login(parse::imap::Command command);
  net::awaitable<Reply> on_authenticate(parse::imap::Command command);
  net::awaitable<Reply> verify_login(std::string login, std::string password, std::string mechanism);
  // cmd_select.cpp: SELECT EXAMINE CLOSE UNSELECT
  net::awaitable<Reply> on_select(parse::imap::Command command);
  net::awaitable<Reply> on_close(parse::imap::Command command);
  net::awaitable<Reply> on_unselect(parse::imap::Command command);
  // cmd_mailbox.cpp: CREATE DELETE RENAME SUBSCRIBE UNSUBSCRIBE
  net::awaitable<Reply> on_create(parse::imap::Command command);
  net::awaitable<Reply> on_delete(parse::imap::Command command);
  net::awaitable<Reply> on_rename(parse::imap::Command command);
  net::awaitable<Reply> on_subscribe(parse::imap::Command command);
  // cmd_list.cpp: LIST LSUB
  net::awaitable<Reply> on_list(parse::imap::Command command);
  // cmd_status.cpp
  net::awaitable<Reply> on_status(parse::imap::Command command);
  net::awaitable<std::optional<std::string>> status_items(store::MailboxInfo info,
                                                          std::vector<parse::imap::StatusItem> items);
  // cmd_append.cpp
  net::awaitable<Reply> on_append(parse::imap::Command command);
  // cmd_fetch.cpp
  net::awaitable<Reply> on_fetch(parse::imap::Command command);
  // cmd_store.cpp
  net::awaitable<Reply> on_store(parse::imap::Command command);
  // cmd_copy.cpp: COPY MOVE and the UID forms
  net::awaitable<Reply> on_copy(parse::imap::Command command);
  // cmd_expunge.cpp: EXPUNGE UID EXPUNGE
  net::awaitable<Reply> on_expunge(parse::imap::Command command);
  // cmd_search.cpp
  net::awaitable<Reply> on_search(parse::imap::Command command);
  // cmd_sort.cpp: SORT THREAD and the UID forms
  net::awaitable<Reply> on_sort(parse::imap::Command command);
  net::awaitable<Reply> on_thread(parse::imap::Command command);
  // cmd_idle.cpp
  net::awaitable<Reply> on_idle(parse::imap::Command command);
  // cmd_qresync.cpp (RFC 7162 3.2): SELECT/EXAMINE (QRESYNC ...) and UID FETCH (CHANGEDSINCE n VANISHED)
  net::awaitable<Status> qresync_select(parse::imap::QresyncParams params);
  net::awaitable<Status> write_vanished_earlier(std::uint64_t since, parse::imap::SequenceSet within);
  // cmd_quota.cpp (RFC 9208): GETQUOTA GETQUOTAROOT SETQUOTA
  net::awaitable<Reply> on_getquota(parse::imap::Command command);
  net::awaitable<Reply> on_getquotaroot(parse::imap::Command command);
  net::awaitable<Reply> on_setquota(parse::imap::Command command);
  // cmd_compress.cpp (RFC 4978)
  net::awaitable<Reply> on_compress(parse::imap::Command command);

  std::shared_ptr<net::Connection> connection_;
  Services& services_;
  std::shared_ptr<const Config> config_;  // a snapshot for the whole session
  parse::imap::CommandFramer framer_;
  net::Stream::Clock::time_point last_activity_;
  std::string out_;
  SessionState state_ = SessionState::not_authenticated;
  std::optional<store::Principal> principal_;
  std::optional<SelectedMailbox> selected_;
  bool rev2_enabled_ = false;
  bool condstore_enabled_ = false;
  bool qresync_enabled_ = false;      // RFC 7162 3.2.3 (implies CONDSTORE)
  bool utf8_accept_enabled_ = false;  // RFC 6855 3
  bool is_idling_ = false;
  bool changes_pending_ = false;      // the notifier reported a change not yet looked at
  // The notifier's callback posts to this session's strand; the pointer inside is cleared when the session ends.
  std::shared_ptr<ImapSession*> wake_target_;
  std::unique_ptr<MailboxChangeNotifier::Subscription> change_subscription_;
  unsigned consecutive_bad_ = 0;
  bool closing_ = false;
};

}  // namespace bulwark::protocol::imap

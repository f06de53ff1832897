#include "protocol/imap/imap_session.h"

#include "base/log.h"
#include "parse/imap/command_parser.h"
#include "parse/imap/mailbox_name.h"
#include "parse/imap/response_writer.h"
#include "protocol/imap/response_format.h"

namespace bulwark::protocol::imap {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::uint64_t kCommandOverhead = 1024 * 1024;  // command text around an APPEND literal

parse::imap::Limits framer_limits(const Config& config) {
  parse::imap::Limits limits;
  limits.max_literal_bytes = config.limits.max_message_bytes;
  limits.max_command_bytes = config.limits.max_message_bytes + kCommandOverhead;
  limits.is_non_sync_confirmed = true;  // so the session can refuse big literals before authentication
  return limits;
}

// RFC 9051 7.4.1: no EXPUNGE while answering FETCH, STORE or SEARCH with sequence numbers.
bool may_report_changes(parse::imap::CommandName name) {
  using parse::imap::CommandName;
  switch (name) {
    case CommandName::fetch: case CommandName::store: case CommandName::search: case CommandName::logout:
      return false;
    default:
      return true;
  }
}

}  // namespace

ImapSession::ImapSession(std::shared_ptr<net::Connection> connection, Services& services)
    : connection_(std::move(connection)),
      services_(services),
      config_(services.config.get()),
      framer_(framer_limits(*config_)),
      last_activity_(net::Stream::Clock::now()),
      wake_target_(std::make_shared<ImapSession*>(this)) {
  update_literal_mode();
}

// Runs on the session's strand: once the subscription is gone no callback posts again, and a wake-up already
// posted finds the target cleared.
ImapSession::~ImapSession() {
  change_subscription_.reset();
  *wake_target_ = nullptr;
}

net::Stream::Clock::time_point ImapSession::idle_deadline() const {
  const auto& limits = config_->limits;
  const auto idle = state_ == SessionState::not_authenticated
                        ? std::min(limits.idle_timeout, limits.imap_preauth_timeout)
                        : limits.imap_idle_timeout;
  return std::min(last_activity_ + idle, connection_->deadline(idle));
}

void ImapSession::update_literal_mode() {
  // RFC 7888: before authentication only LITERAL- (non-synchronizing literals up to 4096 octets), so an
  // unauthenticated client cannot make the server read big literals unasked; after it LITERAL+.
  auto limits = framer_.limits();
  limits.is_literal_minus = state_ == SessionState::not_authenticated;
  framer_.set_limits(limits);
}

bool ImapSession::is_auth_allowed() const {
  return connection_->stream.is_tls() || (connection_->info.is_loopback && config_->allow_plaintext_auth_on_loopback);
}

std::string ImapSession::capability_list() const {
  std::string out = "IMAP4rev2 IMAP4rev1";
  if (state_ == SessionState::not_authenticated) {
    if (!connection_->stream.is_tls() && connection_->info.protocol == Protocol::imap) out += " STARTTLS";
    out += is_auth_allowed() ? " AUTH=PLAIN" : " LOGINDISABLED";
  }
  out += state_ == SessionState::not_authenticated ? " SASL-IR LITERAL-" : " SASL-IR LITERAL+";
  out += " ENABLE IDLE NAMESPACE ID UNSELECT UIDPLUS MOVE CHILDREN LIST-EXTENDED LIST-STATUS"
         " SPECIAL-USE CREATE-SPECIAL-USE ESEARCH CONDSTORE QRESYNC STATUS=SIZE BINARY MULTIAPPEND UTF8=ACCEPT"
         " QUOTA QUOTA=RES-STORAGE";
  out += " SORT SORT=DISPLAY ESORT THREAD=ORDEREDSUBJECT THREAD=REFERENCES SEARCHRES";  // cmd_sort/search.cpp
  if (!connection_->stream.is_compressed()) out += " COMPRESS=DEFLATE";
  return out;
}

parse::imap::ParseOptions ImapSession::parse_options() const {
  parse::imap::ParseOptions options;
  options.is_utf8_enabled = is_utf8();
  return options;
}

void ImapSession::untagged(std::string_view text) {
  out_ += "* ";
  out_.append(text);
  out_ += "\r\n";
}

net::awaitable<bool> ImapSession::flush() {
  if (out_.empty()) co_return !closing_;
  auto status = co_await connection_->stream.write(out_, connection_->deadline(config_->limits.idle_timeout));
  out_.clear();
  if (!status) {
    connection_->log.debug("write failed: {}", net::io_error_name(status.error()));
    closing_ = true;
    co_return false;
  }
  co_return true;
}

net::awaitable<void> ImapSession::end_on(net::IoError error) {
  closing_ = true;
  switch (error) {
    case net::IoError::timeout:
      connection_->log.info("idle for too long; closing");
      out_ += "* BYE Autologout; idle for too long\r\n";
      break;
    case net::IoError::shutdown:
      connection_->log.info("server shutting down; closing");
      out_ += "* BYE Server shutting down\r\n";
      break;
    case net::IoError::closed:
    case net::IoError::failed:
      connection_->log.debug("connection closed by the client: {}", net::io_error_name(error));
      out_.clear();
      co_return;
  }
  auto status = co_await connection_->stream.write(out_, net::Stream::Clock::now() + std::chrono::seconds(5));
  (void)status;
  out_.clear();
}

void ImapSession::count_bad(Completion status) {
  if (status == Completion::bad) {
    ++consecutive_bad_;
  } else {
    consecutive_bad_ = 0;
  }
}

void ImapSession::answer_frame_error(const parse::imap::FrameError& error) {
  Reply reply;
  switch (error.kind) {
    case parse::imap::FrameErrorKind::line_too_long: reply = Reply::bad("Command line too long"); break;
    case parse::imap::FrameErrorKind::literal_too_big: reply = Reply::no("[TOOBIG] Literal too large"); break;
    case parse::imap::FrameErrorKind::command_too_big: reply = Reply::no("[TOOBIG] Command too large"); break;
    case parse::imap::FrameErrorKind::bad_literal_size: reply = Reply::bad("Invalid literal size"); break;
  }
  connection_->log.info("refused command: {}", reply.text);
  write(tagged_line(error.tag, reply));
  count_bad(reply.status);
}

net::awaitable<bool> ImapSession::answer_literal(const parse::imap::LiteralAnnouncement& literal,
                                                 bool is_synchronizing) {
  const bool is_authenticated = state_ != SessionState::not_authenticated;
  if (!is_authenticated && literal.size > kMaxLiteralBeforeAuth) {
    framer_.refuse_literal();
    write(tagged_line(literal.tag, Reply::no("[TOOBIG] Literal too large before authentication")));
    co_return co_await flush();
  }
  if (is_synchronizing) {
    write("+ Ready for literal data\r\n");
    if (!co_await flush()) co_return false;
  }
  framer_.accept_literal();
  co_return true;
}

net::awaitable<std::optional<parse::imap::FramedCommand>> ImapSession::read_command(
    std::optional<net::Stream::Clock::time_point> poll_at, bool* timed_out) {
  using parse::imap::FrameEventKind;
  for (;;) {
    auto event = framer_.next();
    switch (event.kind) {
      case FrameEventKind::command_complete: co_return std::move(event.command);
      case FrameEventKind::error:
        if (event.error.kind == parse::imap::FrameErrorKind::literal_too_big && !event.literal.is_synchronizing &&
            framer_.limits().is_literal_minus && event.literal.size <= framer_.limits().max_literal_bytes) {
          // RFC 7888 4: a non-synchronizing literal over 4096 octets under LITERAL- is answered BAD [TOOBIG];
          // the framer has skipped its bytes and the rest of the command.
          write(tagged_line(event.error.tag, Reply::bad("[TOOBIG] Non-synchronizing literal over 4096 octets")));
          count_bad(Completion::bad);
        } else {
          answer_frame_error(event.error);
        }
        if (!co_await flush()) co_return std::nullopt;
        if (consecutive_bad_ > kMaxConsecutiveBad) {
          write("* BYE Too many invalid commands\r\n");
          (void)co_await flush();
          closing_ = true;
          co_return std::nullopt;
        }
        continue;
      case FrameEventKind::need_continuation:
      case FrameEventKind::need_literal_decision:
        if (!co_await answer_literal(event.literal, event.kind == FrameEventKind::need_continuation)) {
          co_return std::nullopt;
        }
        continue;
      case FrameEventKind::need_more_input: break;
    }
    const auto idle = idle_deadline();
    const auto deadline = poll_at ? std::min(*poll_at, idle) : idle;
    auto chunk = co_await connection_->reader.read_chunk(kReadChunk, deadline);
    if (!chunk) {
      if (chunk.error() == net::IoError::timeout && poll_at && net::Stream::Clock::now() < idle) {
        if (timed_out) *timed_out = true;
        co_return std::nullopt;
      }
      co_await end_on(chunk.error());
      co_return std::nullopt;
    }
    last_activity_ = net::Stream::Clock::now();
    framer_.feed(*chunk);
  }
}

net::awaitable<std::optional<parse::imap::FramedCommand>> ImapSession::read_next_command() {
  std::optional<net::Stream::Clock::time_point> no_poll;
  co_return co_await read_command(no_poll, nullptr);
}

net::awaitable<void> ImapSession::run() {
  untagged("OK [CAPABILITY " + capability_list() + "] Bulwark ready");
  if (!co_await flush()) co_return;
  while (!closing_ && state_ != SessionState::logout) {
    auto framed = co_await read_next_command();
    if (!framed) co_return;
    co_await dispatch(std::move(*framed));
    if (consecutive_bad_ > kMaxConsecutiveBad && !closing_) {
      connection_->log.warn("closing: more than {} invalid commands in a row", kMaxConsecutiveBad);
      write("* BYE Too many invalid commands\r\n");
      (void)co_await flush();
      co_return;
    }
  }
}

net::awaitable<void> ImapSession::finish(std::string tag, Reply reply) {
  if (reply.status != Completion::ok) connection_->log.info("{} answered {}", log::sanitize(tag, 64), reply.text);
  write(tagged_line(tag, reply));
  count_bad(reply.status);
  (void)co_await flush();
}

// The Reply is computed first and passed as a named value: g++ 12 can miscompile a class-type temporary passed
// straight into a co_awaited coroutine (cmake/Hardening.cmake).
net::awaitable<void> ImapSession::dispatch(parse::imap::FramedCommand framed) {
  auto command = parse::imap::parse_command(framed, parse_options());
  std::string tag = framed.tag.empty() ? std::string(parse::imap::extract_tag(framed.text)) : framed.tag;
  std::optional<Reply> refusal;
  const CommandEntry* entry = nullptr;
  if (!command) {
    const auto& error = command.error();
    std::string text = error.detail.empty() ? "Syntax error" : log::sanitize(error.detail);
    refusal = Reply::bad(error.code == Errc::too_big ? "[TOOBIG] " + text : text);
  } else if (entry = find_command(command->name); entry == nullptr) {
    refusal = Reply::bad("Command not supported");
  } else {
    switch (entry->required_state) {
      case RequiredState::any: break;
      case RequiredState::not_authenticated:
        if (state_ != SessionState::not_authenticated) refusal = Reply::bad("Already authenticated");
        break;
      case RequiredState::authenticated:
        if (state_ == SessionState::not_authenticated) refusal = Reply::bad("Not authenticated");
        break;
      case RequiredState::selected:
        if (state_ == SessionState::not_authenticated) {
          refusal = Reply::bad("Not authenticated");
        } else if (state_ != SessionState::selected) {
          refusal = Reply::bad("No mailbox selected");
        }
        break;
    }
  }
  if (refusal) {
    Reply reply = std::move(*refusal);
    co_await finish(std::move(tag), std::move(reply));
    co_return;
  }
  const auto name = command->name;
  Reply reply = co_await (this->*(entry->handler))(std::move(*command));
  if (reply.is_already_sent) {
    count_bad(reply.status);
    (void)co_await flush();
    co_return;
  }
  if (selected_ && !closing_ && may_report_changes(name)) co_await report_changes();
  update_literal_mode();
  co_await finish(std::move(tag), std::move(reply));
}

Result<std::string> ImapSession::mailbox_name(const std::string& wire) const {
  auto utf8 = parse::imap::mailbox_to_utf8(wire, is_utf8());
  if (!utf8) return fail(Errc::invalid_syntax, "invalid mailbox name");
  return parse::imap::normalize_inbox(std::move(*utf8));
}

std::string ImapSession::wire_mailbox(std::string_view utf8_name) const {
  std::string out;
  if (!parse::imap::write_mailbox(out, utf8_name, is_utf8())) {
    out.clear();
    parse::imap::write_astring(out, utf8_name, false);
  }
  return out;
}

Reply ImapSession::store_error(const Error& error, std::string_view what) const {
  if (error.code == Errc::internal || error.code == Errc::temporary_failure || error.code == Errc::unavailable) {
    connection_->log.error("{} failed: {}", what, error.detail);
  }
  return reply_for(error, what);
}

void ImapSession::deselect() {
  change_subscription_.reset();
  changes_pending_ = false;
  selected_.reset();
  if (state_ == SessionState::selected) state_ = SessionState::authenticated;
}

Result<std::vector<std::uint32_t>> ImapSession::resolve(const parse::imap::SequenceSet& set, bool is_uid) const {
  std::vector<std::uint32_t> uids;
  const auto& view = selected_->view;
  if (set.is_saved_result()) {  // RFC 5182 2.1: the saved messages still in the mailbox, no error either way
    for (auto uid : selected_->saved_uids) {
      if (view.seq_of(uid)) uids.push_back(uid);
    }
    return uids;
  }
  if (is_uid) {
    const auto largest = view.largest_uid();
    const auto normalized = set.normalized(largest);
    for (std::uint32_t seq = 1; seq <= view.exists(); ++seq) {
      if (normalized.contains(view.at(seq).uid, largest)) uids.push_back(view.at(seq).uid);
    }
    return uids;
  }
  const auto exists = view.exists();
  // RFC 9051 9: "*" (and every number) is invalid as a message sequence number in an empty mailbox.
  if (exists == 0) return fail(Errc::invalid_syntax, "Invalid message sequence number: the mailbox is empty");
  const auto normalized = set.normalized(exists);
  for (const auto& range : normalized.ranges()) {
    if (range.last > exists) return fail(Errc::invalid_syntax, "Invalid message sequence number");
    for (std::uint32_t seq = range.first; seq <= range.last; ++seq) uids.push_back(view.at(seq).uid);
  }
  return uids;
}

void ImapSession::write_flags_fetch(std::uint32_t seq, bool with_uid) {
  const auto& message = selected_->view.at(seq);
  std::string text = std::to_string(seq) + " FETCH (";
  if (with_uid) text += "UID " + std::to_string(message.uid) + " ";
  text += "FLAGS " + flag_list(message.flags);
  if (condstore_enabled_) text += " MODSEQ (" + std::to_string(message.modseq) + ")";
  text += ")";
  untagged(text);
}

void ImapSession::write_expunges(const std::vector<std::uint32_t>& seqs, const std::vector<std::uint32_t>& uids) {
  if (qresync_enabled_) {
    if (!uids.empty()) untagged("VANISHED " + number_set(uids));
    return;
  }
  for (auto seq : seqs) untagged(std::to_string(seq) + " EXPUNGE");
}

void ImapSession::report_expunged(const std::vector<std::uint32_t>& uids) {
  std::vector<std::uint32_t> seqs, removed;
  for (auto uid : uids) {
    if (auto seq = selected_->view.remove(uid)) {
      seqs.push_back(*seq);
      removed.push_back(uid);
    }
  }
  write_expunges(seqs, removed);
}

void ImapSession::notify_changed(store::MailboxRef mailbox) {
  services_.notify_mailbox_changed(mailbox.owner, mailbox.id);
}

void ImapSession::watch_selected() {
  change_subscription_.reset();
  if (!selected_ || services_.change_notifier == nullptr) return;
  auto executor = connection_->stream.socket().get_executor();
  std::weak_ptr<ImapSession*> target = wake_target_;
  auto callback = [executor, target](std::int64_t mailbox_id) {
    net::asio::post(executor, [target, mailbox_id] {
      auto session = target.lock();
      if (session && *session != nullptr) (*session)->on_mailbox_changed(mailbox_id);
    });
  };
  change_subscription_ = services_.change_notifier->subscribe(selected_->ref.owner, std::move(callback));
}

void ImapSession::on_mailbox_changed(std::int64_t mailbox_id) {
  if (!selected_ || (mailbox_id != 0 && mailbox_id != selected_->ref.id)) return;
  changes_pending_ = true;
  if (is_idling_) connection_->stream.wake_reader();
}

void ImapSession::write_updates(const ViewUpdates& updates) {
  write_expunges(updates.expunged, updates.expunged_uids);
  if (updates.exists) untagged(std::to_string(*updates.exists) + " EXISTS");
  for (auto seq : updates.flag_changes) write_flags_fetch(seq, true);
}

net::awaitable<void> ImapSession::report_changes() {
  if (!selected_ || !principal_) co_return;
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  const auto ref = selected_->ref;
  const auto since = selected_->view.highest_modseq();
  auto job = [&mail, who, ref, since] { return mail.changes_since(who, ref, since); };
  auto changes = co_await net::run_blocking(connection_->blocking, std::move(job));
  if (!changes) {
    if (changes.error().code == Errc::not_found) {
      connection_->log.info("selected mailbox {} disappeared", selected_->name);
      untagged("BYE Selected mailbox was deleted or renamed");
      closing_ = true;
    } else {
      connection_->log.error("checking for changes failed: {}", changes.error().detail);
    }
    co_return;
  }
  write_updates(selected_->view.apply(*changes));
  if (selected_->view.exists() != changes->state.messages) {
    auto job2 = [&mail, who, ref] { return mail.changes_since(who, ref, 0); };
    auto all = co_await net::run_blocking(connection_->blocking, std::move(job2));
    if (all) write_updates(selected_->view.resync(*all));
  }
}

}  // namespace bulwark::protocol::imap

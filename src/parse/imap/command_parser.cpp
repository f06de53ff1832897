#include "parse/imap/command_parser.h"

#include <array>

#include "parse/imap/command_families.h"

namespace bulwark::parse::imap {
namespace {

using ArgsParser = ArgsResult (*)(Lexer&, CommandName);

struct CommandEntry {
  std::string_view text;
  CommandName name;
  ArgsParser parser;
};

// One row per command (RFC 9051 6); "UID x" rows are looked up after the UID prefix.
constexpr std::array kCommands = {
    CommandEntry{"CAPABILITY", CommandName::capability, parse_no_args},
    CommandEntry{"NOOP", CommandName::noop, parse_no_args},
    CommandEntry{"LOGOUT", CommandName::logout, parse_no_args},
    CommandEntry{"STARTTLS", CommandName::starttls, parse_no_args},
    CommandEntry{"AUTHENTICATE", CommandName::authenticate, parse_authenticate},
    CommandEntry{"LOGIN", CommandName::login, parse_login},
    CommandEntry{"ENABLE", CommandName::enable, parse_enable},
    CommandEntry{"SELECT", CommandName::select, parse_select},
    CommandEntry{"EXAMINE", CommandName::examine, parse_select},
    CommandEntry{"CREATE", CommandName::create, parse_create},
    CommandEntry{"DELETE", CommandName::delete_, parse_mailbox_only},
    CommandEntry{"RENAME", CommandName::rename, parse_rename},
    CommandEntry{"SUBSCRIBE", CommandName::subscribe, parse_mailbox_only},
    CommandEntry{"UNSUBSCRIBE", CommandName::unsubscribe, parse_mailbox_only},
    CommandEntry{"LIST", CommandName::list, parse_list},
    CommandEntry{"LSUB", CommandName::lsub, parse_lsub},
    CommandEntry{"NAMESPACE", CommandName::namespace_, parse_no_args},
    CommandEntry{"STATUS", CommandName::status, parse_status},
    CommandEntry{"APPEND", CommandName::append, parse_append},
    CommandEntry{"IDLE", CommandName::idle, parse_no_args},
    CommandEntry{"CHECK", CommandName::check, parse_no_args},
    CommandEntry{"CLOSE", CommandName::close, parse_no_args},
    CommandEntry{"UNSELECT", CommandName::unselect, parse_no_args},
    CommandEntry{"EXPUNGE", CommandName::expunge, parse_no_args},
    CommandEntry{"SEARCH", CommandName::search, parse_search},
    CommandEntry{"FETCH", CommandName::fetch, parse_fetch},
    CommandEntry{"STORE", CommandName::store, parse_store},
    CommandEntry{"COPY", CommandName::copy, parse_copy},
    CommandEntry{"MOVE", CommandName::move, parse_copy},
    CommandEntry{"SORT", CommandName::sort, parse_sort},
    CommandEntry{"THREAD", CommandName::thread, parse_thread},
    CommandEntry{"GETQUOTA", CommandName::getquota, parse_getquota},
    CommandEntry{"GETQUOTAROOT", CommandName::getquotaroot, parse_mailbox_only},
    CommandEntry{"SETQUOTA", CommandName::setquota, parse_setquota},
    CommandEntry{"ID", CommandName::id, parse_id},
    CommandEntry{"COMPRESS", CommandName::compress, parse_compress},
};

constexpr std::array kUidCommands = {
    CommandEntry{"EXPUNGE", CommandName::uid_expunge, parse_uid_expunge},
    CommandEntry{"SEARCH", CommandName::uid_search, parse_search},
    CommandEntry{"FETCH", CommandName::uid_fetch, parse_fetch},
    CommandEntry{"STORE", CommandName::uid_store, parse_store},
    CommandEntry{"COPY", CommandName::uid_copy, parse_copy},
    CommandEntry{"MOVE", CommandName::uid_move, parse_copy},
    CommandEntry{"SORT", CommandName::uid_sort, parse_sort},
    CommandEntry{"THREAD", CommandName::uid_thread, parse_thread},
};

bool iequals(std::string_view a, std::string_view upper_b) {
  if (a.size() != upper_b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char c = (a[i] >= 'a' && a[i] <= 'z') ? static_cast<char>(a[i] - 32) : a[i];
    if (c != upper_b[i]) return false;
  }
  return true;
}

template <std::size_t N>
const CommandEntry* find_entry(const std::array<CommandEntry, N>& table, std::string_view word) {
  for (const CommandEntry& entry : table) {
    if (iequals(word, entry.text)) return &entry;
  }
  return nullptr;
}

bool is_tag_char(char c) { return is_astring_char(c) && c != '+'; }

}  // namespace

std::string_view extract_tag(std::string_view text) noexcept {
  std::size_t n = 0;
  while (n < text.size() && is_tag_char(text[n])) ++n;
  if (n == 0 || n > kMaxTagBytes || (n < text.size() && text[n] != ' ')) return {};
  return text.substr(0, n);
}

Result<Command> parse_command(std::string_view text, const ParseOptions& options) {
  Command command;
  const std::string_view tag = extract_tag(text);
  if (tag.empty()) return syntax_error(text.empty() ? "empty command line" : "invalid tag");
  command.tag.assign(tag);
  Lexer lexer(text.substr(tag.size()), options);
  if (!lexer.consume(' ')) return syntax_error("missing command");
  auto word = lexer.atom();
  if (!word) return syntax_error("missing command");
  const CommandEntry* entry = nullptr;
  if (iequals(*word, "UID")) {
    if (!lexer.consume(' ')) return syntax_error("missing command after UID");
    auto sub = lexer.atom();
    if (!sub) return syntax_error("missing command after UID");
    entry = find_entry(kUidCommands, *sub);
  } else {
    entry = find_entry(kCommands, *word);
  }
  if (entry == nullptr) return syntax_error("unknown command");
  command.name = entry->name;
  auto args = entry->parser(lexer, entry->name);
  if (!args) return tl::unexpected(std::move(args.error()));
  command.args = std::move(*args);
  return command;
}

Result<Command> parse_command(const FramedCommand& framed, const ParseOptions& options) {
  return parse_command(framed.text, options);
}

bool is_idle_done(std::string_view line) noexcept {
  if (line.size() >= 2 && line.substr(line.size() - 2) == "\r\n") line.remove_suffix(2);
  return iequals(line, "DONE");
}

Result<std::optional<std::string>> parse_authenticate_response(std::string_view line) {
  if (line.size() >= 2 && line.substr(line.size() - 2) == "\r\n") line.remove_suffix(2);
  if (line == "*") return std::optional<std::string>();
  // base64 = *(4base64-char) [base64-terminal] (RFC 9051 9)
  if (line.size() % 4 != 0) return syntax_error("bad base64 in authentication response");
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    const bool is_b64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                        c == '+' || c == '/';
    const bool is_pad = c == '=' && (i + 1 == line.size() || (i + 2 == line.size() && line[i + 1] == '='));
    if (!is_b64 && !is_pad) return syntax_error("bad base64 in authentication response");
  }
  return std::optional<std::string>(std::string(line));
}

std::string_view command_name_text(CommandName name) noexcept {
  for (const CommandEntry& entry : kCommands) {
    if (entry.name == name) return entry.text;
  }
  switch (name) {
    case CommandName::uid_expunge: return "UID EXPUNGE";
    case CommandName::uid_search: return "UID SEARCH";
    case CommandName::uid_fetch: return "UID FETCH";
    case CommandName::uid_store: return "UID STORE";
    case CommandName::uid_copy: return "UID COPY";
    case CommandName::uid_move: return "UID MOVE";
    case CommandName::uid_sort: return "UID SORT";
    case CommandName::uid_thread: return "UID THREAD";
    default: return "";
  }
}

}  // namespace bulwark::parse::imap

// LIST (RFC 9051 6.3.9 with RFC 5258 LIST-EXTENDED: selection SUBSCRIBED, REMOTE, RECURSIVEMATCH, SPECIAL-USE;
// return SUBSCRIBED, CHILDREN, SPECIAL-USE, STATUS per RFC 5819) and LSUB (RFC 3501 6.3.9, for IMAP4rev1).
// Every response carries \HasChildren or \HasNoChildren and the special-use attribute (RFC 6154). A superior
// name that does not exist itself but has matching children is listed \NonExistent (RFC 5258 3).
#include <map>

#include "protocol/imap/imap_session.h"
#include "protocol/imap/list_pattern.h"

namespace bulwark::protocol::imap {
namespace {

struct Entry {
  const store::MailboxInfo* info = nullptr;  // nullptr: an implied superior name
  bool has_children = false;
  bool has_subscribed_child = false;
};

}  // namespace

net::awaitable<Reply> ImapSession::on_list(parse::imap::Command command) {
  const bool is_lsub = command.name == parse::imap::CommandName::lsub;
  auto args = std::get<parse::imap::ListArgs>(std::move(command.args));
  const char* what = is_lsub ? "LSUB" : "LIST";
  if (is_lsub) args.select_subscribed = true;
  // RFC 9051 6.3.9: an empty pattern asks for the delimiter and the root.
  if (!args.is_extended && args.patterns.size() == 1 && args.patterns[0].empty()) {
    untagged(std::string(what) + " (\\Noselect) \"/\" \"\"");
    co_return Reply::ok(std::string(what) + " completed");
  }
  auto reference = mailbox_name(args.reference);
  if (!reference) co_return Reply::bad(reference.error().detail);
  std::vector<std::string> patterns;
  for (const auto& pattern : args.patterns) {
    auto utf8 = mailbox_name(pattern);
    patterns.push_back(join_reference(*reference, utf8 ? *utf8 : pattern));
  }
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  auto job = [&mail, who] { return mail.list_mailboxes(who, who.account_id()); };
  auto boxes = co_await net::run_blocking(connection_->blocking, std::move(job));
  if (!boxes) co_return store_error(boxes.error(), what);

  std::map<std::string, Entry> entries;  // sorted by name
  for (const auto& info : *boxes) entries[info.name].info = &info;
  for (const auto& info : *boxes) {
    for (std::size_t slash = info.name.find('/'); slash != std::string::npos; slash = info.name.find('/', slash + 1)) {
      auto& parent = entries[info.name.substr(0, slash)];
      parent.has_children = true;
      if (info.subscribed) parent.has_subscribed_child = true;
    }
  }
  auto matches_any = [&](const std::string& name) {
    for (const auto& pattern : patterns) {
      if (matches_pattern(pattern, name)) return true;
    }
    return false;
  };
  const bool want_subscribed = args.return_subscribed || args.select_subscribed;
  for (const auto& [name, entry] : entries) {
    if (!matches_any(name)) continue;
    const bool exists = entry.info != nullptr;
    const bool subscribed = exists && entry.info->subscribed;
    const auto role = exists ? entry.info->role : store::SpecialUse::none;
    bool child_info = false;
    if (args.select_subscribed && !subscribed) {
      if (!(args.select_recursive_match && entry.has_subscribed_child)) continue;
      child_info = true;
    }
    if (args.select_special_use && role == store::SpecialUse::none) continue;
    if (!exists && !args.select_subscribed && !entry.has_children) continue;
    std::string attributes;
    auto add = [&](std::string_view attribute) {
      if (!attributes.empty()) attributes += ' ';
      attributes += attribute;
    };
    if (!exists) add(is_lsub ? "\\Noselect" : "\\NonExistent");
    if (!is_lsub) add(entry.has_children ? "\\HasChildren" : "\\HasNoChildren");
    if (want_subscribed && subscribed && !is_lsub) add("\\Subscribed");
    if (role != store::SpecialUse::none) add(store::special_use_attribute(role));
    std::string line = std::string(what) + " (" + attributes + ") \"/\" " + wire_mailbox(name);
    if (child_info) line += " (\"CHILDINFO\" (\"SUBSCRIBED\"))";
    untagged(line);
    if (args.return_status && exists && !is_lsub) {
      store::MailboxInfo info = *entry.info;
      std::vector<parse::imap::StatusItem> items = *args.return_status;
      auto status = co_await status_items(std::move(info), std::move(items));
      if (status) untagged("STATUS " + wire_mailbox(name) + " (" + *status + ")");
    }
  }
  co_return Reply::ok(std::string(what) + " completed");
}

}  // namespace bulwark::protocol::imap

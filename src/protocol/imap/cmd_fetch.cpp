// FETCH and UID FETCH (RFC 9051 6.4.5, 7.5.2; RFC 7162 3.1.4 CHANGEDSINCE and MODSEQ; RFC 3516 BINARY).
// A non-PEEK body fetch sets \Seen first (unless the mailbox is read-only) and reports the new FLAGS.
// Messages are loaded in batches in one blocking call each; the output is flushed as it grows.
#include <algorithm>

#include "parse/mime/structure_cache.h"
#include "protocol/imap/fetch_response.h"
#include "protocol/imap/imap_session.h"

namespace bulwark::protocol::imap {
namespace {

constexpr std::size_t kFetchBatch = 200;

struct Loaded {
  store::MessageRecord record;
  std::string raw;
  bool has_raw = false;
  bool is_gone = false;  // expunged meanwhile
  std::optional<parse::mime::Part> structure;  // decoded already by load_batch(), used once when rendering
};

// The records of `batch` (ascending uids) and, where the items need them, their bytes: whole messages, or only
// the header sections, read together in one store call, when those are all the items look at and the cached
// structure says where each one ends (it includes the empty line).
Result<std::vector<Loaded>> load_batch(store::MailStore& mail, const store::Principal& who, store::MailboxRef ref,
                                       const std::vector<std::uint32_t>& batch, bool need_raw, bool need_structure,
                                       bool header_is_enough) {
  BULWARK_TRY_ASSIGN(auto records, mail.list_messages(who, ref, batch.front(), batch.back()));
  std::vector<Loaded> out;
  std::vector<store::MailStore::PrefixRequest> heads;
  std::vector<std::size_t> head_of;  // index into `out` of each entry of `heads`
  for (auto& record : records) {
    if (!std::binary_search(batch.begin(), batch.end(), record.uid)) continue;
    Loaded item;
    if (need_raw || (need_structure && record.structure.empty())) {
      std::optional<std::uint64_t> header_end;
      if (header_is_enough && !record.structure.empty()) {
        if (auto root = parse::mime::decode_structure(record.structure)) {
          header_end = root->header_offset + root->header_size;
          item.structure = std::move(*root);
        }
      }
      if (header_end) {
        heads.push_back({record.uid, static_cast<std::size_t>(*header_end)});
        head_of.push_back(out.size());
      } else {
        auto raw = mail.read_message(who, ref, record.uid);
        if (!raw) {
          if (raw.error().code == Errc::not_found) continue;  // expunged meanwhile
          return tl::unexpected(raw.error());
        }
        item.raw = std::move(*raw);
        item.has_raw = true;
      }
    }
    item.record = std::move(record);
    out.push_back(std::move(item));
  }
  if (!heads.empty()) {
    BULWARK_TRY_ASSIGN(auto read, mail.read_message_prefixes(who, ref, heads));
    for (std::size_t i = 0; i < read.size(); ++i) {
      auto& item = out[head_of[i]];
      if (!read[i]) {
        item.is_gone = true;
        continue;
      }
      item.raw = std::move(*read[i]);
      item.has_raw = true;
    }
    std::erase_if(out, [](const Loaded& item) { return item.is_gone; });
  }
  return out;
}

bool has_seen(const std::vector<std::string>& flags) {
  return std::find(flags.begin(), flags.end(), "\\Seen") != flags.end();
}

}  // namespace

net::awaitable<Reply> ImapSession::on_fetch(parse::imap::Command command) {
  const bool is_uid = command.is_uid();
  auto args = std::get<parse::imap::FetchArgs>(std::move(command.args));
  if (args.is_vanished) {  // RFC 7162 3.2.6
    if (!qresync_enabled_) co_return Reply::bad("VANISHED needs ENABLE QRESYNC");
    if (!is_uid) co_return Reply::bad("VANISHED is only valid with UID FETCH");
    if (!args.changed_since) co_return Reply::bad("VANISHED needs CHANGEDSINCE");
  }
  auto resolved = resolve(args.sequence_set, is_uid);
  if (!resolved) co_return Reply::bad(resolved.error().detail);
  std::vector<std::uint32_t> uids = std::move(*resolved);
  auto& view = selected_->view;
  if (args.changed_since) {
    condstore_enabled_ = true;
    std::erase_if(uids, [&](std::uint32_t uid) { return view.at(*view.seq_of(uid)).modseq <= *args.changed_since; });
  }
  if (args.is_vanished) {
    auto within = args.sequence_set;
    auto vanished = co_await write_vanished_earlier(*args.changed_since, std::move(within));
    if (!vanished) co_return store_error(vanished.error(), "FETCH");
  }
  const auto& items = args.items;
  auto& mail = services_.mail;
  const store::Principal who = *principal_;
  const auto ref = selected_->ref;

  std::vector<std::uint32_t> marked;
  if (sets_seen(items) && !selected_->is_read_only) {
    std::vector<std::uint32_t> unseen;
    for (auto uid : uids) {
      if (!has_seen(view.at(*view.seq_of(uid)).flags)) unseen.push_back(uid);
    }
    if (!unseen.empty()) {
      auto job = [&mail, who, ref, unseen] {
        return mail.update_flags(who, ref, unseen, store::FlagOp::add, {"\\Seen"}, std::nullopt, nullptr);
      };
      auto changes = co_await net::run_blocking(connection_->blocking, std::move(job));
      if (changes) {
        if (!changes->empty()) notify_changed(ref);
        view.set_flags(*changes);
        for (const auto& change : *changes) marked.push_back(change.uid);
      } else if (changes.error().code != Errc::permission_denied) {
        co_return store_error(changes.error(), "FETCH");
      }
    }
  }

  const bool need_record = needs_record(items);
  const bool need_raw = needs_raw(items);
  const bool header_is_enough = need_raw && needs_only_top_header(items);
  const bool need_structure = needs_structure(items);
  const bool rendered_is_enough = need_structure && needs_only_rendered_structure(items);
  const std::size_t render_cache_bytes = config_->limits.imap_fetch_cache_bytes;
  FetchOptions options;
  options.include_uid = is_uid;
  options.include_modseq = args.changed_since.has_value();
  for (std::size_t start = 0; start < uids.size(); start += kFetchBatch) {
    std::vector<std::uint32_t> batch(uids.begin() + static_cast<std::ptrdiff_t>(start),
                                     uids.begin() + static_cast<std::ptrdiff_t>(std::min(uids.size(), start + kFetchBatch)));
    std::vector<Loaded> loaded;
    if (need_record) {
      auto job2 = [&mail, who, ref, batch, need_raw, need_structure, header_is_enough] {
        return load_batch(mail, who, ref, batch, need_raw, need_structure, header_is_enough);
      };
      auto result = co_await net::run_blocking(connection_->blocking, std::move(job2));
      if (!result) co_return store_error(result.error(), "FETCH");
      loaded = std::move(*result);
    }
    std::size_t next_loaded = 0;
    for (auto uid : batch) {
      const auto seq = view.seq_of(uid);
      if (!seq) continue;
      const auto& message = view.at(*seq);
      FetchSource source;
      source.uid = uid;
      source.modseq = message.modseq;
      source.flags = &message.flags;
      std::optional<parse::mime::Part> structure;
      std::shared_ptr<const RenderedStructure> rendered;
      if (need_record) {
        while (next_loaded < loaded.size() && loaded[next_loaded].record.uid < uid) ++next_loaded;
        if (next_loaded >= loaded.size() || loaded[next_loaded].record.uid != uid) continue;  // expunged meanwhile
        auto& item = loaded[next_loaded];
        source.internal_date = item.record.internal_date;
        source.size = item.record.size;
        source.raw = item.raw;
        auto decode = [&item]() -> std::optional<parse::mime::Part> {
          if (item.structure) return std::move(item.structure);
          auto decoded = parse::mime::decode_structure(item.record.structure);
          if (!decoded && item.has_raw) decoded = parse::mime::parse_message(item.raw);
          if (!decoded) return std::nullopt;
          return std::move(*decoded);
        };
        if (rendered_is_enough && !item.record.structure.empty()) {
          // Keyed by content: the same bytes always have the same structure (an empty structure, an old
          // message parsed from its bytes here, is not cached).
          rendered = RenderedStructureCache::process_wide().get(item.record.blob_id, render_cache_bytes, [&] {
            auto part = decode();
            return render_structure(part ? *part : parse::mime::Part{});
          });
        } else if (need_structure) {
          structure = decode();
        }
      }
      if (structure) source.structure = &*structure;
      source.rendered = rendered.get();
      options.include_flags = std::find(marked.begin(), marked.end(), uid) != marked.end();
      auto text = write_fetch_items(items, source, options);
      if (!text) {
        if (text.error().code == Errc::invalid_argument) co_return Reply::no("[UNKNOWN-CTE] Unknown transfer encoding");
        co_return store_error(text.error(), "FETCH");
      }
      write("* " + std::to_string(*seq) + " FETCH (" + *text + ")\r\n");
      if (out_.size() > kFlushThreshold && !co_await flush()) co_return Reply::sent();
    }
  }
  co_return Reply::ok("FETCH completed");
}

}  // namespace bulwark::protocol::imap

#include "protocol/imap/mailbox_view.h"

#include <algorithm>
#include <functional>
#include <map>
#include <string_view>

namespace bulwark::protocol::imap {
namespace {

using Entry = MessageTable::Entry;

// Finds or adds flag lists in one table's flag_sets while a view writes it: O(log k) per lookup.
class FlagSetInterner {
 public:
  explicit FlagSetInterner(MessageTable& table) : table_(table) {
    for (std::uint32_t i = 0; i < table_.flag_sets.size(); ++i) index_.emplace(table_.flag_sets[i], i);
  }
  std::uint32_t intern(const std::vector<std::string>& flags) {
    auto [it, inserted] = index_.try_emplace(flags, static_cast<std::uint32_t>(table_.flag_sets.size()));
    if (inserted) table_.flag_sets.push_back(flags);
    return it->second;
  }

 private:
  MessageTable& table_;
  std::map<std::vector<std::string>, std::uint32_t> index_;
};

// Numbers the flag lists by first use and drops unused ones, so that equal content gives equal tables.
void canonicalize(MessageTable& table) {
  constexpr std::uint32_t kUnassigned = UINT32_MAX;
  std::vector<std::uint32_t> remap(table.flag_sets.size(), kUnassigned);
  std::vector<std::vector<std::string>> sets;
  for (auto& e : table.entries) {
    auto& target = remap[e.flag_set];
    if (target == kUnassigned) {
      target = static_cast<std::uint32_t>(sets.size());
      sets.push_back(std::move(table.flag_sets[e.flag_set]));
    }
    e.flag_set = target;
  }
  table.flag_sets = std::move(sets);
}

std::size_t content_hash(const MessageTable& table) {
  // Entry has no padding (static_assert on its size): its bytes are its value.
  const std::string_view bytes(reinterpret_cast<const char*>(table.entries.data()),
                               table.entries.size() * sizeof(Entry));
  std::size_t h = std::hash<std::string_view>{}(bytes);
  for (const auto& set : table.flag_sets) {
    for (const auto& flag : set) h = h * 1099511628211u ^ std::hash<std::string>{}(flag);
    h = h * 1099511628211u ^ set.size();
  }
  return h;
}

std::uint32_t index_of(const MessageTable& table, std::uint32_t uid) {
  auto it = std::lower_bound(table.entries.begin(), table.entries.end(), uid,
                             [](const Entry& m, std::uint32_t u) { return m.uid < u; });
  if (it == table.entries.end() || it->uid != uid) return UINT32_MAX;
  return static_cast<std::uint32_t>(it - table.entries.begin());
}

}  // namespace

MessageTablePool& MessageTablePool::process_wide() {
  static MessageTablePool pool;
  return pool;
}

std::shared_ptr<const MessageTable> MessageTablePool::intern(std::shared_ptr<const MessageTable> table) {
  const std::size_t hash = content_hash(*table);
  std::lock_guard lock(mutex_);
  auto [first, last] = tables_.equal_range(hash);
  for (auto it = first; it != last; ++it) {
    if (auto existing = it->second.lock(); existing && *existing == *table) return existing;
  }
  if (tables_.size() >= sweep_at_) {
    std::erase_if(tables_, [](const auto& item) { return item.second.expired(); });
    sweep_at_ = std::max<std::size_t>(64, 2 * tables_.size());
  }
  tables_.emplace(hash, table);
  return table;
}

std::size_t MessageTablePool::size() {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(tables_.begin(), tables_.end(), [](const auto& item) { return !item.second.expired(); }));
}

MailboxView::MailboxView(MessageTablePool& pool)
    : pool_(&pool), table_(std::make_shared<const MessageTable>()) {}

MessageTable& MailboxView::writable() {
  if (!own_) {
    own_ = std::make_shared<MessageTable>(*table_);
    table_ = own_;
  }
  return *own_;
}

void MailboxView::publish() {
  if (!own_) return;
  canonicalize(*own_);
  own_->entries.shrink_to_fit();
  std::shared_ptr<const MessageTable> mine = std::move(own_);
  own_.reset();
  table_ = pool_->intern(std::move(mine));
}

void MailboxView::reset(const store::MailboxChanges& all) {
  own_ = std::make_shared<MessageTable>();
  table_ = own_;
  FlagSetInterner interner(*own_);
  own_->entries.reserve(all.changed.size());
  for (const auto& m : all.changed) own_->entries.push_back(Entry{m.modseq, m.uid, interner.intern(m.flags)});
  std::sort(own_->entries.begin(), own_->entries.end(), [](const Entry& a, const Entry& b) { return a.uid < b.uid; });
  publish();
  highest_modseq_ = all.state.highest_modseq;
  uid_validity_ = all.state.uid_validity;
  uid_next_ = all.state.uid_next;
}

std::vector<store::MessageFlags> MailboxView::messages() const {
  std::vector<store::MessageFlags> out;
  out.reserve(table_->entries.size());
  for (const auto& e : table_->entries) out.push_back(store::MessageFlags{e.uid, e.modseq, table_->flag_sets[e.flag_set]});
  return out;
}

std::optional<std::uint32_t> MailboxView::seq_of(std::uint32_t uid) const {
  const auto index = index_of(*table_, uid);
  if (index == UINT32_MAX) return std::nullopt;
  return index + 1;
}

std::optional<std::uint32_t> MailboxView::remove(std::uint32_t uid) {
  auto seq = seq_of(uid);
  if (seq) {
    auto& entries = writable().entries;
    entries.erase(entries.begin() + (*seq - 1));
  }
  return seq;
}

void MailboxView::set_flags(const store::FlagChange& change) { set_flags(std::vector<store::FlagChange>{change}); }

void MailboxView::set_flags(const std::vector<store::FlagChange>& changes) {
  if (changes.empty()) return;
  auto& table = writable();
  FlagSetInterner interner(table);
  for (const auto& change : changes) {
    const auto index = index_of(table, change.uid);
    if (index == UINT32_MAX) continue;
    auto& m = table.entries[index];
    m.flag_set = interner.intern(change.flags);
    m.modseq = std::max(m.modseq, change.modseq);
  }
}

ViewUpdates MailboxView::apply(const store::MailboxChanges& changes) {
  ViewUpdates out;
  for (auto uid : changes.expunged) {
    if (auto seq = remove(uid)) {
      out.expunged.push_back(*seq);
      out.expunged_uids.push_back(uid);
    }
  }
  const std::uint32_t before = exists();
  std::vector<std::uint32_t> changed_uids;
  if (!changes.changed.empty()) {
    auto& table = writable();
    FlagSetInterner interner(table);
    for (const auto& change : changes.changed) {
      if (change.uid > largest_uid()) {
        table.entries.push_back(Entry{change.modseq, change.uid, interner.intern(change.flags)});
        continue;
      }
      const auto index = index_of(table, change.uid);
      if (index == UINT32_MAX) continue;  // expunged meanwhile, or never ours
      auto& m = table.entries[index];
      if (change.modseq <= m.modseq) continue;  // already reported (our own STORE)
      m.modseq = change.modseq;
      const auto flag_set = interner.intern(change.flags);
      if (m.flag_set != flag_set) {
        m.flag_set = flag_set;
        changed_uids.push_back(change.uid);
      }
    }
  }
  if (exists() != before) out.exists = exists();
  for (auto uid : changed_uids) {
    if (auto seq = seq_of(uid)) out.flag_changes.push_back(*seq);
  }
  highest_modseq_ = std::max(highest_modseq_, changes.state.highest_modseq);
  uid_next_ = std::max(uid_next_, changes.state.uid_next);
  publish();
  return out;
}

ViewUpdates MailboxView::resync(const store::MailboxChanges& all) {
  store::MailboxChanges changes;
  changes.state = all.state;
  std::vector<std::uint32_t> present;
  present.reserve(all.changed.size());
  for (const auto& m : all.changed) present.push_back(m.uid);
  std::sort(present.begin(), present.end());
  for (const auto& e : table_->entries) {
    if (!std::binary_search(present.begin(), present.end(), e.uid)) changes.expunged.push_back(e.uid);
  }
  for (const auto& m : all.changed) {
    auto seq = seq_of(m.uid);
    if (!seq || at(*seq).flags != m.flags || m.uid > largest_uid()) changes.changed.push_back(m);
  }
  // Flag differences must be reported even when the modseq did not move past ours.
  for (auto& m : changes.changed) {
    if (auto seq = seq_of(m.uid)) m.modseq = std::max(m.modseq, at(*seq).modseq + 1);
  }
  std::sort(changes.changed.begin(), changes.changed.end(), [](const auto& a, const auto& b) { return a.uid < b.uid; });
  return apply(changes);
}

}  // namespace bulwark::protocol::imap

#include "store/sqlite/search_indexer.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <unordered_set>

#include "store/sqlite/search_index.h"

namespace bulwark::store::sqlite {
namespace {

// Deliveries arriving together are indexed together: the thread waits this long after the first notify(), so
// that under a steady stream of writes one run (which lists the account's blobs) covers a second of them.
constexpr auto kGatherDelay = std::chrono::milliseconds(1000);
// A rebuild is worth it when unreachable FTS rows outnumber live ones (and there are more than a few).
constexpr std::int64_t kMinGarbageForRebuild = 1000;

}  // namespace

SearchIndexer::SearchIndexer(std::filesystem::path data_dir, SearchIndexOptions options, Source source)
    : data_dir_(std::move(data_dir)), options_(std::move(options)), source_(std::move(source)) {}

SearchIndexer::~SearchIndexer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SearchIndexer::allow_background() {
  std::lock_guard lock(mutex_);
  background_ = true;
}

void SearchIndexer::notify(domain::auth::AccountId account) {
  {
    std::lock_guard lock(mutex_);
    if (!background_ || stopping_) return;
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    if (!dirty_.insert(account).second) return;
  }
  wake_.notify_one();
}

void SearchIndexer::notify_new(domain::auth::AccountId account, std::string blob_id) {
  {
    std::lock_guard lock(mutex_);
    if (!background_ || stopping_) return;
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    // Only the first new body since the thread took the last batch needs to wake it: with news already
    // pending it is gathering or working and takes this one too. (A wake-up per delivery was a context switch
    // per message.)
    const bool was_idle = pending_.empty();
    auto& list = pending_[account];
    if (list.size() < kMaxPendingBlobs) {
      list.push_back(std::move(blob_id));
    } else {
      dirty_.insert(account);
    }
    if (!was_idle) return;
  }
  wake_.notify_one();
}

void SearchIndexer::forget(domain::auth::AccountId account) {
  {
    std::lock_guard lock(mutex_);
    broken_.insert(account);
  }
  notify(account);
}

std::filesystem::path SearchIndexer::index_path(domain::auth::AccountId account) const {
  return data_dir_ / "accounts" / std::to_string(account) / "search.db";
}

void SearchIndexer::run() {
  // Background work: the lowest CPU priority for this thread only (Linux: nice is per thread).
  (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 19);
  using Clock = std::chrono::steady_clock;
  // With mutex_ held: an account wants its full pass now (never done here, broken, or the last one long ago).
  auto is_due = [&](domain::auth::AccountId account, Clock::time_point now) {
    auto last = last_full_.find(account);
    return broken_.contains(account) || last == last_full_.end() || now - last->second >= kFullPassInterval;
  };
  auto has_work = [&] {
    if (!pending_.empty()) return true;
    const auto now = Clock::now();
    return std::any_of(dirty_.begin(), dirty_.end(), [&](auto account) { return is_due(account, now); });
  };
  std::unique_lock lock(mutex_);
  for (;;) {
    while (!stopping_ && !has_work()) {
      if (dirty_.empty()) {
        wake_.wait(lock);
      } else {
        wake_.wait_for(lock, std::chrono::seconds(5));  // a deferred full pass becomes due
      }
    }
    if (stopping_) return;
    wake_.wait_for(lock, kGatherDelay, [&] { return stopping_; });
    if (stopping_) return;
    const auto now = Clock::now();
    std::set<domain::auth::AccountId> full;
    for (auto it = dirty_.begin(); it != dirty_.end();) {
      if (is_due(*it, now)) {
        full.insert(*it);
        it = dirty_.erase(it);
      } else {
        ++it;
      }
    }
    for (const auto& [account, blobs] : pending_) {
      // First time in this process, or long ago: a full pass (it also forgets expunged bodies).
      auto last = last_full_.find(account);
      if (last == last_full_.end() || now - last->second >= kReconcileInterval) full.insert(account);
    }
    for (auto account : full) last_full_[account] = now;
    std::map<domain::auth::AccountId, std::vector<std::string>> news;
    news.swap(pending_);
    lock.unlock();
    // Failures leave messages unindexed (SEARCH reads them); a later notify retries.
    for (auto account : full) {
      (void)index_account(account);
      news.erase(account);
    }
    for (const auto& [account, blobs] : news) (void)index_blobs(account, blobs);
    lock.lock();
  }
}

Status SearchIndexer::index_account(domain::auth::AccountId account) {
  const auto path = index_path(account);
  {
    std::lock_guard lock(mutex_);
    if (broken_.erase(account) != 0) SearchIndex::remove_files(path);
  }
  BULWARK_TRY_ASSIGN(auto blobs, source_.blob_ids(account));
  std::optional<SearchIndex> index;
  BULWARK_TRY_ASSIGN(auto opened, SearchIndex::open_writer(path, options_.max_text_bytes));
  index.emplace(std::move(opened));
  BULWARK_TRY_ASSIGN(auto indexed, index->indexed_blobs());
  const std::unordered_set<std::string> present(blobs.begin(), blobs.end());
  std::vector<std::string> gone;
  for (const auto& id : indexed) {
    if (!present.contains(id)) gone.push_back(id);
  }
  if (!gone.empty()) BULWARK_TRY(index->remove(gone));
  BULWARK_TRY_ASSIGN(auto garbage, index->garbage());
  BULWARK_TRY_ASSIGN(auto live, index->document_count());
  if (garbage > kMinGarbageForRebuild && garbage > live) {
    index.reset();
    SearchIndex::remove_files(path);
    BULWARK_TRY_ASSIGN(auto fresh, SearchIndex::open_writer(path, options_.max_text_bytes));
    index.emplace(std::move(fresh));
    indexed.clear();
  }
  std::vector<std::pair<std::string, std::string>> batch;
  for (const auto& id : blobs) {
    if (indexed.contains(id)) continue;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return ok();  // shutdown does not wait for a batch; the next run finishes the account
    }
    auto raw = source_.read_blob(account, id);
    if (!raw) continue;  // removed meanwhile; a later run sees it gone
    batch.emplace_back(id, options_.text_of(*raw, options_.max_text_bytes));
    if (batch.size() >= options_.batch_messages) {
      BULWARK_TRY(index->add(batch));
      batch.clear();
    }
  }
  if (!batch.empty()) BULWARK_TRY(index->add(batch));
  return ok();
}

Status SearchIndexer::index_blobs(domain::auth::AccountId account, const std::vector<std::string>& blob_ids) {
  BULWARK_TRY_ASSIGN(auto index, SearchIndex::open_writer(index_path(account), options_.max_text_bytes));
  std::vector<std::pair<std::string, std::string>> batch;
  std::unordered_set<std::string> seen;
  for (const auto& id : blob_ids) {
    if (!seen.insert(id).second) continue;
    BULWARK_TRY_ASSIGN(bool known, index.has(id));
    if (known) continue;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return ok();
    }
    auto raw = source_.read_blob(account, id);
    if (!raw) continue;  // expunged meanwhile
    batch.emplace_back(id, options_.text_of(*raw, options_.max_text_bytes));
    if (batch.size() >= options_.batch_messages) {
      BULWARK_TRY(index.add(batch));
      batch.clear();
    }
  }
  if (!batch.empty()) BULWARK_TRY(index.add(batch));
  return ok();
}

}  // namespace bulwark::store::sqlite

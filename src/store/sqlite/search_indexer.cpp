#include "store/sqlite/search_indexer.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

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
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !dirty_.empty(); });
    if (stopping_) return;
    wake_.wait_for(lock, kGatherDelay, [&] { return stopping_; });
    if (stopping_) return;
    std::set<domain::auth::AccountId> accounts;
    accounts.swap(dirty_);
    lock.unlock();
    for (auto account : accounts) {
      (void)index_account(account);  // failures: the account stays unindexed (SEARCH scans), retried on next notify
      std::lock_guard check(mutex_);
      if (stopping_) return;
    }
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
    auto raw = source_.read_blob(account, id);
    if (!raw) continue;  // removed meanwhile; a later run sees it gone
    batch.emplace_back(id, options_.text_of(*raw, options_.max_text_bytes));
    if (batch.size() >= options_.batch_messages) {
      BULWARK_TRY(index->add(batch));
      batch.clear();
      std::lock_guard lock(mutex_);
      if (stopping_) return ok();
    }
  }
  if (!batch.empty()) BULWARK_TRY(index->add(batch));
  return ok();
}

}  // namespace bulwark::store::sqlite

// The background filler of the per-account search indexes (search_index.h), kept off the durable-delivery path:
// deliveries, APPENDs and copies only hand over the account and blob id (notify_new(): a mutex and a push); one
// low-priority thread (nice 19) later extracts those bodies' searchable text with the injected SearchTextFn and
// adds them in batches. Full passes (list the account's bodies, add the missing, forget the vanished, rebuild an
// index whose garbage outgrew its live entries) run when an account is first seen, when SEARCH asks (notify()),
// and every kReconcileInterval with new mail. Until a message is indexed, SEARCH looks at it the slow way, so
// results never depend on the indexer having caught up. docs/search-index.md.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/result.h"
#include "domain/auth/principal.h"

namespace bulwark::store::sqlite {

// The text the index holds for one raw message: exactly what the SEARCH matcher folds and looks at (header
// text, a newline, body text), cut at `max_bytes` each. Injected by the composition root (the store knows no
// MIME).
using SearchTextFn = std::function<std::string(std::string_view raw, std::size_t max_bytes)>;

struct SearchIndexOptions {
  bool enabled = false;                      // [search] index
  std::uint64_t max_text_bytes = 32ULL << 20;  // [limits] max_search_text_size: the matcher's limit, the same
  std::size_t batch_messages = 200;          // messages per indexer transaction
  SearchTextFn text_of;
};

class SearchIndexer {
 public:
  // What the indexer reads from the mail store (internal calls: the indexer acts for the account itself).
  struct Source {
    std::function<Result<std::vector<std::string>>(domain::auth::AccountId)> blob_ids;  // distinct, of all messages
    std::function<Result<std::string>(domain::auth::AccountId, const std::string&)> read_blob;
  };

  SearchIndexer(std::filesystem::path data_dir, SearchIndexOptions options, Source source);
  SearchIndexer(const SearchIndexer&) = delete;
  SearchIndexer& operator=(const SearchIndexer&) = delete;
  ~SearchIndexer();  // stops the thread (an unfinished account is finished by a later run)

  // Lets notify() start the background thread on first use (so it starts after the server's sandbox is in
  // place and inherits it); without this call the indexer only works when index_account() is called.
  void allow_background();
  // A new message body in the account (delivery, APPEND, COPY): indexed on the next run without listing the
  // whole account. Cheap: a mutex and a push.
  void notify_new(domain::auth::AccountId account, std::string blob_id);
  // The account may have unindexed or vanished bodies (a SEARCH found some): a full pass, at most once per
  // kFullPassInterval per account (the first one in this process at once).
  void notify(domain::auth::AccountId account);
  void forget(domain::auth::AccountId account);   // the index is unusable: rebuild it on the next run
  // Brings one account's index up to date now, on the calling thread (admin CLI, tests, the thread itself):
  // lists every body of the account, adds the missing ones, forgets the vanished ones.
  [[nodiscard]] Status index_account(domain::auth::AccountId account);
  // Adds these bodies if they are not indexed yet (the thread, for notify_new()).
  [[nodiscard]] Status index_blobs(domain::auth::AccountId account, const std::vector<std::string>& blob_ids);

  static constexpr std::chrono::seconds kFullPassInterval{60};    // between full passes a SEARCH asks for
  static constexpr std::chrono::seconds kReconcileInterval{600};  // between full passes new mail causes
  static constexpr std::size_t kMaxPendingBlobs = 10000;  // per account; beyond: a full pass instead

  std::filesystem::path index_path(domain::auth::AccountId account) const;
  const SearchIndexOptions& options() const { return options_; }

 private:
  void run();

  std::filesystem::path data_dir_;
  SearchIndexOptions options_;
  Source source_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::set<domain::auth::AccountId> dirty_;  // full pass wanted
  std::map<domain::auth::AccountId, std::vector<std::string>> pending_;  // new bodies
  std::map<domain::auth::AccountId, std::chrono::steady_clock::time_point> last_full_;  // the thread's own
  std::set<domain::auth::AccountId> broken_;
  bool stopping_ = false;
  bool background_ = false;
  std::thread thread_;
};

}  // namespace bulwark::store::sqlite

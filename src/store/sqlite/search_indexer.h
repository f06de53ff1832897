// The background filler of the per-account search indexes (search_index.h), kept off the durable-delivery path:
// deliveries and APPENDs only mark their account dirty (notify(), a mutex and a set insert); one low-priority
// thread (nice 19) later reads the account's messages that are not indexed yet, extracts their searchable text
// with the injected SearchTextFn and adds them in batches, forgets blobs no message uses any more, and rebuilds
// an index whose garbage outgrew its live entries. Until a message is indexed, SEARCH looks at it the slow way,
// so results never depend on the indexer having caught up. docs/search-index.md.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
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
  void notify(domain::auth::AccountId account);   // cheap: marks the account dirty
  void forget(domain::auth::AccountId account);   // the index is unusable: rebuild it on the next run
  // Brings one account's index up to date now, on the calling thread (admin CLI, tests, the thread itself).
  [[nodiscard]] Status index_account(domain::auth::AccountId account);

  std::filesystem::path index_path(domain::auth::AccountId account) const;
  const SearchIndexOptions& options() const { return options_; }

 private:
  void run();

  std::filesystem::path data_dir_;
  SearchIndexOptions options_;
  Source source_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::set<domain::auth::AccountId> dirty_;
  std::set<domain::auth::AccountId> broken_;
  bool stopping_ = false;
  bool background_ = false;
  std::thread thread_;
};

}  // namespace bulwark::store::sqlite

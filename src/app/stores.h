// The composition root's choice of backends: today the embedded default (SQLite + blob files in data_dir).
// A PostgreSQL backend will be selected here, and nowhere else.
#pragma once

#include <functional>
#include <memory>

#include "base/config.h"
#include "base/result.h"
#include "store/dav_store.h"
#include "store/directory_store.h"
#include "store/mail_store.h"
#include "store/queue_store.h"

namespace bulwark::app {

struct Stores {
  std::unique_ptr<store::DirectoryStore> directory;
  std::unique_ptr<store::MailStore> mail;
  std::unique_ptr<store::QueueStore> queue;
  std::unique_ptr<store::DavStore> dav;
  // Brings one account's IMAP search index up to date now (admin `search-index build`); unavailable when off.
  std::function<Status(store::AccountId)> build_search_index;
};

// `background_work`: the server (the search indexer thread may run); the admin CLI passes false.
[[nodiscard]] Result<Stores> open_stores(const Config& config, bool background_work);
store::DirectoryPolicy directory_policy(const Config& config);

}  // namespace bulwark::app

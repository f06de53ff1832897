// The composition root's choice of backends: today the embedded default (SQLite + blob files in data_dir).
// A PostgreSQL backend will be selected here, and nowhere else.
#pragma once

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
};

[[nodiscard]] Result<Stores> open_stores(const Config& config);
store::DirectoryPolicy directory_policy(const Config& config);

}  // namespace bulwark::app

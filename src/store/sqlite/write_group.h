// Group commit for an account's writes from IMAP (STORE, EXPUNGE, APPEND, COPY/MOVE within the account): writes
// that arrive while another commit is in progress are run together in one transaction, each in its own
// savepoint, and made durable by one COMMIT, so one WAL fsync instead of one per write (the delivery path in
// sqlite_mail_store.cpp does the same for SMTP, ADR 0003).
//
// Contract: run() returns only after the transaction that holds `work`'s changes has committed (fsync'd, with
// synchronous=FULL), or with an error, in which case none of `work`'s changes are kept. A `work` that fails has its
// savepoint rolled back; the other writes of the batch are not affected. A failed BEGIN or COMMIT fails every write
// of the batch. `work` runs on whichever caller thread leads the batch, with `db_mutex` held; it must not take
// `db_mutex` itself and must keep its results in state that its own caller reads after run() returns.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "base/result.h"
#include "store/sqlite/sqlite_db.h"

namespace bulwark::store::sqlite {

class WriteGroup {
 public:
  using Work = std::function<Status(Database&)>;

  [[nodiscard]] Status run(std::mutex& db_mutex, Database& db, const Work& work);

 private:
  struct Pending {
    const Work* work;
    std::optional<Status> result;  // written under mutex_, after the COMMIT
  };
  // With db_mutex held: the batch in one transaction; one result per write, in order.
  static std::vector<Status> commit_batch(Database& db, const std::vector<Pending*>& batch);

  std::mutex mutex_;
  std::condition_variable done_;
  std::vector<Pending*> pending_;
  bool committing_ = false;
};

}  // namespace bulwark::store::sqlite

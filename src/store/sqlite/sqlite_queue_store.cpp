#include "store/sqlite/sqlite_queue_store.h"

#include <chrono>

namespace bulwark::store::sqlite {
namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS queue_message(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  blob_id TEXT NOT NULL,
  size INTEGER NOT NULL,
  sender TEXT NOT NULL,
  envid TEXT NOT NULL DEFAULT '',
  ret TEXT NOT NULL DEFAULT '',
  smtputf8 INTEGER NOT NULL DEFAULT 0,
  eight_bit INTEGER NOT NULL DEFAULT 0,
  submitted_by TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL,
  next_attempt INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS queue_recipient(
  message_id INTEGER NOT NULL REFERENCES queue_message(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  address TEXT NOT NULL,
  notify TEXT NOT NULL DEFAULT '',
  orcpt TEXT NOT NULL DEFAULT '',
  state INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(message_id, position)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS queue_message_due ON queue_message(next_attempt);
)sql";

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

QueueState state_from(std::int64_t value) {
  switch (value) {
    case 1: return QueueState::delivered;
    case 2: return QueueState::failed;
    default: return QueueState::pending;
  }
}

}  // namespace

Result<std::unique_ptr<SqliteQueueStore>> SqliteQueueStore::open(const std::filesystem::path& data_dir) {
  BULWARK_TRY_ASSIGN(auto db, Database::open(data_dir / "queue.db"));
  BULWARK_TRY(db.exec(kSchema));
  return std::unique_ptr<SqliteQueueStore>(new SqliteQueueStore(std::move(db)));
}

Result<QueueId> SqliteQueueStore::enqueue(const BlobRef& blob, const QueueEnvelope& envelope) {
  if (envelope.recipients.empty()) return fail(Errc::invalid_argument, "queue entry without recipients");
  std::lock_guard lock(mutex_);
  Database::Transaction txn(db_);
  BULWARK_TRY(txn.begin());
  auto now = now_seconds();
  BULWARK_TRY_ASSIGN(auto insert, db_.prepare(
      "INSERT INTO queue_message(blob_id, size, sender, envid, ret, smtputf8, eight_bit, submitted_by, created, "
      "next_attempt) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.bind(1, blob.id())
      .bind(2, static_cast<std::int64_t>(blob.size()))
      .bind(3, envelope.sender)
      .bind(4, envelope.envid)
      .bind(5, envelope.ret)
      .bind(6, std::int64_t{envelope.smtputf8 ? 1 : 0})
      .bind(7, std::int64_t{envelope.eight_bit ? 1 : 0})
      .bind(8, envelope.submitted_by)
      .bind(9, now)
      .bind(10, now);
  BULWARK_TRY(insert.run());
  QueueId id = db_.last_insert_rowid();
  std::int64_t position = 0;
  for (const auto& r : envelope.recipients) {
    BULWARK_TRY_ASSIGN(auto rcpt, db_.prepare(
        "INSERT INTO queue_recipient(message_id, position, address, notify, orcpt, last_error) "
        "VALUES(?, ?, ?, ?, ?, ?)"));
    rcpt.bind(1, id).bind(2, position++).bind(3, r.address).bind(4, r.notify).bind(5, r.orcpt).bind(6, r.last_error);
    BULWARK_TRY(rcpt.run());
  }
  BULWARK_TRY(txn.commit());
  return id;
}

Result<std::vector<QueuedMessage>> SqliteQueueStore::list() {
  std::lock_guard lock(mutex_);
  std::vector<QueuedMessage> out;
  BULWARK_TRY_ASSIGN(auto messages, db_.prepare(
      "SELECT id, blob_id, size, sender, envid, ret, smtputf8, eight_bit, submitted_by, created, next_attempt "
      "FROM queue_message ORDER BY id"));
  for (;;) {
    BULWARK_TRY_ASSIGN(bool row, messages.step());
    if (!row) break;
    QueuedMessage m;
    m.id = messages.column_int(0);
    m.blob_id = messages.column_text(1);
    m.size = static_cast<std::uint64_t>(messages.column_int(2));
    m.envelope.sender = messages.column_text(3);
    m.envelope.envid = messages.column_text(4);
    m.envelope.ret = messages.column_text(5);
    m.envelope.smtputf8 = messages.column_int(6) != 0;
    m.envelope.eight_bit = messages.column_int(7) != 0;
    m.envelope.submitted_by = messages.column_text(8);
    m.created = messages.column_int(9);
    m.next_attempt = messages.column_int(10);
    out.push_back(std::move(m));
  }
  for (auto& m : out) {
    BULWARK_TRY_ASSIGN(auto rcpts, db_.prepare(
        "SELECT address, notify, orcpt, last_error, state, attempts FROM queue_recipient WHERE message_id = ? "
        "ORDER BY position"));
    rcpts.bind(1, m.id);
    for (;;) {
      BULWARK_TRY_ASSIGN(bool row, rcpts.step());
      if (!row) break;
      QueuedRecipient r;
      r.recipient.address = rcpts.column_text(0);
      r.recipient.notify = rcpts.column_text(1);
      r.recipient.orcpt = rcpts.column_text(2);
      r.recipient.last_error = rcpts.column_text(3);
      r.state = state_from(rcpts.column_int(4));
      r.attempts = static_cast<unsigned>(rcpts.column_int(5));
      m.recipients.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace bulwark::store::sqlite

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

// Columns added after the first release of the queue; added to older databases on open.
constexpr std::string_view kAddedColumns[] = {
    "ALTER TABLE queue_message ADD COLUMN require_tls INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE queue_message ADD COLUMN expires INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE queue_recipient ADD COLUMN next_attempt INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE queue_recipient ADD COLUMN tls_detail TEXT NOT NULL DEFAULT ''",
};

constexpr std::string_view kMessageColumns =
    "SELECT id, blob_id, size, sender, envid, ret, smtputf8, eight_bit, submitted_by, created, next_attempt, "
    "require_tls, expires FROM queue_message ";

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

std::int64_t state_value(QueueState state) {
  switch (state) {
    case QueueState::delivered: return 1;
    case QueueState::failed: return 2;
    case QueueState::pending: return 0;
  }
  return 0;
}

// The message's next_attempt follows its earliest pending recipient; without one the message is done.
Result<bool> refresh_message(Database& db, QueueId id) {
  BULWARK_TRY_ASSIGN(auto pending, db.prepare(
      "SELECT MIN(next_attempt), COUNT(*) FROM queue_recipient WHERE message_id = ? AND state = 0"));
  pending.bind(1, id);
  BULWARK_TRY_ASSIGN(bool row, pending.step());
  if (!row || pending.column_int(1) == 0) {
    BULWARK_TRY_ASSIGN(auto del, db.prepare("DELETE FROM queue_message WHERE id = ?"));
    del.bind(1, id);
    BULWARK_TRY(del.run());
    BULWARK_TRY_ASSIGN(auto del_rcpt, db.prepare("DELETE FROM queue_recipient WHERE message_id = ?"));
    del_rcpt.bind(1, id);
    BULWARK_TRY(del_rcpt.run());
    return false;
  }
  std::int64_t next = pending.column_int(0);
  BULWARK_TRY_ASSIGN(auto update, db.prepare("UPDATE queue_message SET next_attempt = ? WHERE id = ?"));
  update.bind(1, next).bind(2, id);
  BULWARK_TRY(update.run());
  return true;
}

}  // namespace

Result<std::unique_ptr<SqliteQueueStore>> SqliteQueueStore::open(const std::filesystem::path& data_dir,
                                                                 std::shared_ptr<BlobStore> blobs) {
  BULWARK_TRY_ASSIGN(auto db, Database::open(data_dir / "queue.db"));
  BULWARK_TRY(db.exec(kSchema));
  for (auto sql : kAddedColumns) {
    auto added = db.exec(sql);
    if (!added && added.error().detail.find("duplicate column") == std::string::npos) {
      return tl::unexpected(added.error());
    }
  }
  return std::unique_ptr<SqliteQueueStore>(new SqliteQueueStore(std::move(db), std::move(blobs)));
}

Result<QueueId> SqliteQueueStore::enqueue(const BlobRef& blob, const QueueEnvelope& envelope) {
  if (envelope.recipients.empty()) return fail(Errc::invalid_argument, "queue entry without recipients");
  std::lock_guard lock(mutex_);
  Database::Transaction txn(db_);
  BULWARK_TRY(txn.begin());
  auto now = now_seconds();
  BULWARK_TRY_ASSIGN(auto insert, db_.prepare(
      "INSERT INTO queue_message(blob_id, size, sender, envid, ret, smtputf8, eight_bit, submitted_by, created, "
      "next_attempt, require_tls, expires) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.bind(1, blob.id())
      .bind(2, static_cast<std::int64_t>(blob.size()))
      .bind(3, envelope.sender)
      .bind(4, envelope.envid)
      .bind(5, envelope.ret)
      .bind(6, std::int64_t{envelope.smtputf8 ? 1 : 0})
      .bind(7, std::int64_t{envelope.eight_bit ? 1 : 0})
      .bind(8, envelope.submitted_by)
      .bind(9, now)
      .bind(10, now)
      .bind(11, std::int64_t{envelope.require_tls ? 1 : 0})
      .bind(12, envelope.expires);
  BULWARK_TRY(insert.run());
  QueueId id = db_.last_insert_rowid();
  std::int64_t position = 0;
  for (const auto& r : envelope.recipients) {
    BULWARK_TRY_ASSIGN(auto rcpt, db_.prepare(
        "INSERT INTO queue_recipient(message_id, position, address, notify, orcpt, last_error, next_attempt) "
        "VALUES(?, ?, ?, ?, ?, ?, ?)"));
    rcpt.bind(1, id).bind(2, position++).bind(3, r.address).bind(4, r.notify).bind(5, r.orcpt).bind(6, r.last_error)
        .bind(7, now);
    BULWARK_TRY(rcpt.run());
  }
  BULWARK_TRY(txn.commit());
  return id;
}

Result<std::vector<QueuedMessage>> SqliteQueueStore::select_messages(std::string_view where, std::int64_t arg,
                                                                     std::size_t limit) {
  std::vector<QueuedMessage> out;
  std::string sql = std::string(kMessageColumns) + std::string(where);
  BULWARK_TRY_ASSIGN(auto messages, db_.prepare(sql));
  if (sql.find('?') != std::string::npos) messages.bind(1, arg);
  while (out.size() < limit) {
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
    m.envelope.require_tls = messages.column_int(11) != 0;
    m.envelope.expires = messages.column_int(12);
    out.push_back(std::move(m));
  }
  for (auto& m : out) BULWARK_TRY(load_recipients(m));
  return out;
}

Status SqliteQueueStore::load_recipients(QueuedMessage& m) {
  BULWARK_TRY_ASSIGN(auto rcpts, db_.prepare(
      "SELECT address, notify, orcpt, last_error, state, attempts, next_attempt, position, tls_detail FROM queue_recipient "
      "WHERE message_id = ? ORDER BY position"));
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
    r.next_attempt = rcpts.column_int(6);
    r.position = static_cast<int>(rcpts.column_int(7));
    r.tls_detail = rcpts.column_text(8);
    m.recipients.push_back(std::move(r));
  }
  return ok();
}

Result<std::vector<QueuedMessage>> SqliteQueueStore::list() {
  std::lock_guard lock(mutex_);
  return select_messages("ORDER BY id", 0, SIZE_MAX);
}

Result<QueuedMessage> SqliteQueueStore::get(QueueId id) {
  std::lock_guard lock(mutex_);
  BULWARK_TRY_ASSIGN(auto found, select_messages("WHERE id = ?", id, 1));
  if (found.empty()) return fail(Errc::not_found, "no queued message " + std::to_string(id));
  return std::move(found.front());
}

Result<std::vector<QueuedMessage>> SqliteQueueStore::due(std::int64_t now, std::size_t limit) {
  std::lock_guard lock(mutex_);
  return select_messages("WHERE next_attempt <= ? ORDER BY next_attempt, id", now, limit);
}

Status SqliteQueueStore::record(QueueId id, const std::vector<RecipientUpdate>& updates) {
  std::lock_guard lock(mutex_);
  Database::Transaction txn(db_);
  BULWARK_TRY(txn.begin());
  BULWARK_TRY_ASSIGN(auto exists, db_.prepare("SELECT 1 FROM queue_message WHERE id = ?"));
  exists.bind(1, id);
  BULWARK_TRY_ASSIGN(bool found, exists.step());
  if (!found) return fail(Errc::not_found, "no queued message " + std::to_string(id));
  for (const auto& u : updates) {
    BULWARK_TRY_ASSIGN(auto update, db_.prepare(
        "UPDATE queue_recipient SET state = ?, attempts = attempts + ?, next_attempt = ?, "
        "last_error = CASE WHEN ? = '' THEN last_error ELSE ? END, "
        "tls_detail = CASE WHEN ? = '' THEN tls_detail ELSE ? END WHERE message_id = ? AND position = ?"));
    update.bind(1, state_value(u.state))
        .bind(2, std::int64_t{u.attempted ? 1 : 0})
        .bind(3, u.next_attempt)
        .bind(4, u.last_error)
        .bind(5, u.last_error)
        .bind(6, u.tls_detail)
        .bind(7, u.tls_detail)
        .bind(8, id)
        .bind(9, std::int64_t{u.position});
    BULWARK_TRY(update.run());
  }
  BULWARK_TRY(refresh_message(db_, id));
  return txn.commit();
}

Result<std::size_t> SqliteQueueStore::retry(std::optional<QueueId> id, std::int64_t now) {
  std::lock_guard lock(mutex_);
  Database::Transaction txn(db_);
  BULWARK_TRY(txn.begin());
  std::string where = id ? " AND message_id = ?" : "";
  BULWARK_TRY_ASSIGN(auto rcpts, db_.prepare("UPDATE queue_recipient SET next_attempt = ? WHERE state = 0" + where));
  rcpts.bind(1, now);
  if (id) rcpts.bind(2, *id);
  BULWARK_TRY(rcpts.run());
  BULWARK_TRY_ASSIGN(auto messages, db_.prepare("UPDATE queue_message SET next_attempt = ?" +
                                                std::string(id ? " WHERE id = ?" : "")));
  messages.bind(1, now);
  if (id) messages.bind(2, *id);
  BULWARK_TRY(messages.run());
  std::size_t changed = static_cast<std::size_t>(db_.changes());
  if (id && changed == 0) return fail(Errc::not_found, "no queued message " + std::to_string(*id));
  BULWARK_TRY(txn.commit());
  return changed;
}

Status SqliteQueueStore::remove(QueueId id) {
  std::lock_guard lock(mutex_);
  Database::Transaction txn(db_);
  BULWARK_TRY(txn.begin());
  BULWARK_TRY_ASSIGN(auto del, db_.prepare("DELETE FROM queue_message WHERE id = ?"));
  del.bind(1, id);
  BULWARK_TRY(del.run());
  if (db_.changes() == 0) return fail(Errc::not_found, "no queued message " + std::to_string(id));
  BULWARK_TRY_ASSIGN(auto del_rcpt, db_.prepare("DELETE FROM queue_recipient WHERE message_id = ?"));
  del_rcpt.bind(1, id);
  BULWARK_TRY(del_rcpt.run());
  return txn.commit();
}

Result<std::string> SqliteQueueStore::read_content(const QueuedMessage& message) {
  return blobs_->get(message.blob_id);
}

}  // namespace bulwark::store::sqlite

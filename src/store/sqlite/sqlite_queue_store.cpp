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
CREATE TABLE IF NOT EXISTS queue_content(
  message_id INTEGER PRIMARY KEY,
  bytes BLOB NOT NULL);
)sql";

// Columns added after the first release of the queue; added to older databases on open.
constexpr std::string_view kAddedColumns[] = {
    "ALTER TABLE queue_message ADD COLUMN require_tls INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE queue_message ADD COLUMN expires INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE queue_recipient ADD COLUMN next_attempt INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE queue_message ADD COLUMN tls_optional INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE queue_recipient ADD COLUMN last_tls TEXT NOT NULL DEFAULT ''",
};

constexpr std::string_view kMessageColumns =
    "SELECT id, blob_id, size, sender, envid, ret, smtputf8, eight_bit, submitted_by, created, next_attempt, "
    "require_tls, expires, tls_optional FROM queue_message ";

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

// The rows that hang off a queue_message row (which the caller deletes).
Status delete_entry_rows(Database& db, QueueId id) {
  BULWARK_TRY_ASSIGN(auto del_rcpt, db.prepare("DELETE FROM queue_recipient WHERE message_id = ?"));
  del_rcpt.bind(1, id);
  BULWARK_TRY(del_rcpt.run());
  BULWARK_TRY_ASSIGN(auto del_content, db.prepare("DELETE FROM queue_content WHERE message_id = ?"));
  del_content.bind(1, id);
  return del_content.run();
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
    BULWARK_TRY(delete_entry_rows(db, id));
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
                                                                 std::shared_ptr<BlobStore> blobs,
                                                                 std::uint64_t inline_max_bytes) {
  BULWARK_TRY_ASSIGN(auto db, Database::open(data_dir / "queue.db"));
  BULWARK_TRY(db.exec(kSchema));
  for (auto sql : kAddedColumns) {
    auto added = db.exec(sql);
    if (!added && added.error().detail.find("duplicate column") == std::string::npos) {
      return tl::unexpected(added.error());
    }
  }
  return std::unique_ptr<SqliteQueueStore>(new SqliteQueueStore(std::move(db), std::move(blobs), inline_max_bytes));
}

Result<QueueId> SqliteQueueStore::enqueue(const BlobRef& blob, const QueueEnvelope& envelope) {
  return insert_entry(blob.id(), blob.size(), envelope, nullptr);
}

Result<QueueId> SqliteQueueStore::enqueue_content(std::string_view content, const QueueEnvelope& envelope) {
  if (content.size() > inline_max_bytes_) {
    if (envelope.recipients.empty()) return fail(Errc::invalid_argument, "queue entry without recipients");
    BULWARK_TRY_ASSIGN(auto blob_id, blobs_->put(content));
    return insert_entry(blob_id, content.size(), envelope, nullptr);
  }
  return insert_entry("", content.size(), envelope, &content);
}

Result<QueueId> SqliteQueueStore::insert_entry(std::string_view blob_id, std::uint64_t size,
                                               const QueueEnvelope& envelope, const std::string_view* inline_content) {
  if (envelope.recipients.empty()) return fail(Errc::invalid_argument, "queue entry without recipients");
  QueueId id = 0;
  const WriteGroup::Work work = [&](Database& db) -> Status {
    auto now = now_seconds();
    BULWARK_TRY_ASSIGN(auto insert, db.prepare(
        "INSERT INTO queue_message(blob_id, size, sender, envid, ret, smtputf8, eight_bit, submitted_by, created, "
        "next_attempt, require_tls, expires, tls_optional) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.bind(1, blob_id)
        .bind(2, static_cast<std::int64_t>(size))
        .bind(3, envelope.sender)
        .bind(4, envelope.envid)
        .bind(5, envelope.ret)
        .bind(6, std::int64_t{envelope.smtputf8 ? 1 : 0})
        .bind(7, std::int64_t{envelope.eight_bit ? 1 : 0})
        .bind(8, envelope.submitted_by)
        .bind(9, now)
        .bind(10, now)
        .bind(11, std::int64_t{envelope.require_tls ? 1 : 0})
        .bind(12, envelope.expires)
        .bind(13, std::int64_t{envelope.tls_optional ? 1 : 0});
    BULWARK_TRY(insert.run());
    const QueueId inserted = db.last_insert_rowid();
    std::int64_t position = 0;
    for (const auto& r : envelope.recipients) {
      BULWARK_TRY_ASSIGN(auto rcpt, db.prepare(
          "INSERT INTO queue_recipient(message_id, position, address, notify, orcpt, last_error, next_attempt) "
          "VALUES(?, ?, ?, ?, ?, ?, ?)"));
      rcpt.bind(1, inserted).bind(2, position++).bind(3, r.address).bind(4, r.notify).bind(5, r.orcpt)
          .bind(6, r.last_error).bind(7, now);
      BULWARK_TRY(rcpt.run());
    }
    if (inline_content) {
      BULWARK_TRY_ASSIGN(auto bytes, db.prepare("INSERT INTO queue_content(message_id, bytes) VALUES(?, ?)"));
      BULWARK_TRY(bytes.bind(1, inserted).bind_blob_borrowed(2, *inline_content).run());  // outlives `bytes`
    }
    id = inserted;
    return ok();
  };
  BULWARK_TRY(writes_.run(mutex_, db_, work));
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
    m.envelope.tls_optional = messages.column_int(13) != 0;
    out.push_back(std::move(m));
  }
  for (auto& m : out) BULWARK_TRY(load_recipients(m));
  return out;
}

Status SqliteQueueStore::load_recipients(QueuedMessage& m) {
  BULWARK_TRY_ASSIGN(auto rcpts, db_.prepare(
      "SELECT address, notify, orcpt, last_error, state, attempts, next_attempt, position, last_tls FROM queue_recipient "
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
    r.recipient.last_tls = rcpts.column_text(8);
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
  const WriteGroup::Work work = [&](Database& db) -> Status {
    BULWARK_TRY_ASSIGN(auto exists, db.prepare("SELECT 1 FROM queue_message WHERE id = ?"));
    exists.bind(1, id);
    BULWARK_TRY_ASSIGN(bool found, exists.step());
    if (!found) return fail(Errc::not_found, "no queued message " + std::to_string(id));
    for (const auto& u : updates) {
      BULWARK_TRY_ASSIGN(auto update, db.prepare(
          "UPDATE queue_recipient SET state = ?, attempts = attempts + ?, next_attempt = ?, "
          "last_error = CASE WHEN ? = '' THEN last_error ELSE ? END, "
          "last_tls = CASE WHEN ? = '' THEN last_tls ELSE ? END WHERE message_id = ? AND position = ?"));
      update.bind(1, state_value(u.state))
          .bind(2, std::int64_t{u.attempted ? 1 : 0})
          .bind(3, u.next_attempt)
          .bind(4, u.last_error)
          .bind(5, u.last_error)
          .bind(6, u.last_tls)
          .bind(7, u.last_tls)
          .bind(8, id)
          .bind(9, std::int64_t{u.position});
      BULWARK_TRY(update.run());
    }
    BULWARK_TRY(refresh_message(db, id));
    return ok();
  };
  return writes_.run(mutex_, db_, work);
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
  BULWARK_TRY(delete_entry_rows(db_, id));
  return txn.commit();
}

Result<std::string> SqliteQueueStore::read_content(const QueuedMessage& message) {
  if (!message.blob_id.empty()) return blobs_->get(message.blob_id);
  std::lock_guard lock(mutex_);
  BULWARK_TRY_ASSIGN(auto bytes, db_.prepare("SELECT bytes FROM queue_content WHERE message_id = ?"));
  bytes.bind(1, message.id);
  BULWARK_TRY_ASSIGN(bool row, bytes.step());
  if (!row) return fail(Errc::not_found, "no content for queued message " + std::to_string(message.id));
  return bytes.column_text(0);
}

}  // namespace bulwark::store::sqlite

#include "store/sqlite/sqlite_mail_store.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <sstream>
#include <unordered_set>

#include "domain/mail/mailbox_name.h"
#include "store/blob_fs/fs_blob_store.h"
#include "store/sqlite/read_pool.h"
#include "store/sqlite/search_index.h"
#include "store/sqlite/write_group.h"

namespace bulwark::store::sqlite {

namespace group_commit {
// One delivery into an account's INBOX, waiting for that account's next group commit (ADR 0003).
struct PendingDelivery {
  std::uint64_t quota = 0;
  bool is_inline = false;       // the bytes go into the account's body table in the same transaction
  std::string_view content;     // when is_inline
  std::string blob_id;          // SHA-256 of the content (inline) or the durable blob's id
  std::uint64_t size = 0;
  std::string flags_text;
  std::int64_t internal_date = 0;
  std::string_view structure;
  std::optional<Result<Appended>> result;  // written under AccountDb::batch_mutex
};
}  // namespace group_commit

struct SqliteMailStore::AccountDb {
  AccountDb(AccountId owner, Database database, const std::filesystem::path& path, std::size_t read_connections)
      : id(owner), db(std::move(database)), readers(path, read_connections) {}
  AccountId id;
  std::mutex mutex;  // one writer per account; different accounts never share it
  Database db;
  // Reads go to their own connections and take neither `mutex` nor wait for a commit (WAL readers).
  ReadPool readers;
  // IMAP writes (flags, expunge, append) share transactions and their fsync (group commit).
  WriteGroup writes;
  // Group commit: deliveries queue in `pending`; while one thread commits a batch (holding `mutex`), the next
  // ones gather, and the first of them to see `committing` false commits all of them in one transaction.
  std::mutex batch_mutex;
  std::condition_variable batch_done;
  std::vector<group_commit::PendingDelivery*> pending;
  bool committing = false;
  WalCheckpointer::Writer wal;  // the WAL hook's registration (wal_checkpointer.h)
};

namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS mailbox(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  role INTEGER NOT NULL DEFAULT 0,
  subscribed INTEGER NOT NULL DEFAULT 1,
  uid_validity INTEGER NOT NULL,
  uid_next INTEGER NOT NULL DEFAULT 1,
  highest_modseq INTEGER NOT NULL DEFAULT 1,
  bytes INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS message(
  mailbox_id INTEGER NOT NULL REFERENCES mailbox(id) ON DELETE CASCADE,
  uid INTEGER NOT NULL,
  modseq INTEGER NOT NULL,
  flags TEXT NOT NULL DEFAULT ' ',
  internal_date INTEGER NOT NULL,
  size INTEGER NOT NULL,
  blob_id TEXT NOT NULL,
  structure BLOB,
  PRIMARY KEY(mailbox_id, uid)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS expunged(
  mailbox_id INTEGER NOT NULL REFERENCES mailbox(id) ON DELETE CASCADE,
  uid INTEGER NOT NULL,
  modseq INTEGER NOT NULL,
  PRIMARY KEY(mailbox_id, uid)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS body(
  id TEXT PRIMARY KEY,
  data BLOB NOT NULL);
-- changes_since() (every IMAP command boundary and IDLE poll) reads "modseq > ?" and counts a mailbox's
-- messages; the mailbox counts (SELECT, STATUS) read flags and size. Without these indexes each of them scans
-- every row, structure blobs included; with them they read only the index (it covers uid, flags and size).
CREATE INDEX IF NOT EXISTS message_modseq ON message(mailbox_id, modseq, flags, size);
CREATE INDEX IF NOT EXISTS expunged_modseq ON expunged(mailbox_id, modseq);
CREATE TABLE IF NOT EXISTS acl(
  mailbox_id INTEGER NOT NULL REFERENCES mailbox(id) ON DELETE CASCADE,
  grantee INTEGER NOT NULL,
  rights INTEGER NOT NULL,
  PRIMARY KEY(mailbox_id, grantee)) WITHOUT ROWID;
)sql";

// mailbox.bytes, the sum of its messages' sizes, kept by the database itself: a quota check (every APPEND,
// delivery and RCPT to an account with a quota) reads the few mailbox rows instead of summing every message.
// The mailbox row is written by every insert anyway (uid_next, highest_modseq), so the trigger adds no page.
constexpr std::string_view kUsageTriggers = R"sql(
CREATE TRIGGER IF NOT EXISTS message_bytes_insert AFTER INSERT ON message BEGIN
  UPDATE mailbox SET bytes = bytes + new.size WHERE id = new.mailbox_id;
END;
CREATE TRIGGER IF NOT EXISTS message_bytes_delete AFTER DELETE ON message BEGIN
  UPDATE mailbox SET bytes = bytes - old.size WHERE id = old.mailbox_id;
END;
CREATE TRIGGER IF NOT EXISTS message_bytes_update AFTER UPDATE OF mailbox_id, size ON message BEGIN
  UPDATE mailbox SET bytes = bytes - old.size WHERE id = old.mailbox_id;
  UPDATE mailbox SET bytes = bytes + new.size WHERE id = new.mailbox_id;
END;
)sql";

constexpr std::array<std::pair<std::string_view, SpecialUse>, 6> kDefaultMailboxes{{
    {"INBOX", SpecialUse::none},
    {"Drafts", SpecialUse::drafts},
    {"Sent", SpecialUse::sent},
    {"Trash", SpecialUse::trash},
    {"Junk", SpecialUse::junk},
    {"Archive", SpecialUse::archive},
}};

constexpr std::array<std::string_view, 5> kSystemFlags{"\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft"};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// System flags in their canonical spelling; keywords must be atoms (RFC 9051 2.3.2) without '\'.
Result<std::string> canonical_flag(std::string_view flag) {
  if (flag.empty() || flag.size() > 128) return fail(Errc::invalid_argument, "invalid flag");
  if (flag.front() == '\\') {
    for (auto system : kSystemFlags) {
      if (iequals(flag, system)) return std::string(system);
    }
    return fail(Errc::invalid_argument, "unknown system flag " + std::string(flag));
  }
  for (char c : flag) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || std::string_view("(){%*\"\\]").find(c) != std::string_view::npos) {
      return fail(Errc::invalid_argument, "invalid keyword");
    }
  }
  return std::string(flag);
}

// Stored as " f1 f2 " so that instr(flags, ' \Seen ') is an exact test.
std::string flags_to_text(const std::vector<std::string>& flags) {
  std::string out = " ";
  for (const auto& f : flags) out += f + " ";
  return out;
}

// The words of `text` (split at white space, as operator>> does). Runs for every row of a SELECT, so no
// istringstream.
std::vector<std::string> text_to_flags(const std::string& text) {
  std::vector<std::string> out;
  auto is_space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    std::size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (i > start) out.emplace_back(text, start, i - start);
  }
  return out;
}

bool contains_flag(const std::vector<std::string>& flags, std::string_view flag) {
  return std::any_of(flags.begin(), flags.end(), [&](const std::string& f) { return iequals(f, flag); });
}

Result<std::vector<std::string>> canonical_flags(const std::vector<std::string>& flags) {
  std::vector<std::string> out;
  for (const auto& f : flags) {
    BULWARK_TRY_ASSIGN(auto canonical, canonical_flag(f));
    if (!contains_flag(out, canonical)) out.push_back(canonical);
  }
  return out;
}

Error denied() { return Error{Errc::permission_denied, "permission denied"}; }
Error no_mailbox() { return Error{Errc::not_found, "no such mailbox"}; }

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// --- queries run with the account's lock held ---

Result<Rights> rights_on(Database& db, AccountId owner, const Principal& who, std::int64_t mailbox_id) {
  if (who.account_id() == owner) return Rights::all();
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare("SELECT rights FROM acl WHERE mailbox_id = ? AND grantee = ?"));
  BULWARK_TRY_ASSIGN(bool row, stmt.bind(1, mailbox_id).bind(2, who.account_id()).step());
  if (!row) return Rights();
  return Rights(static_cast<std::uint16_t>(stmt.column_int(0)));
}

constexpr std::string_view kMailboxColumns =
    "SELECT m.id, m.name, m.role, m.subscribed, m.uid_validity, m.uid_next, m.highest_modseq, "
    "(SELECT count(*) FROM message WHERE mailbox_id = m.id), "
    "(SELECT count(*) FROM message WHERE mailbox_id = m.id AND instr(flags, ' \\Seen ') = 0), "
    "(SELECT coalesce(sum(size), 0) FROM message WHERE mailbox_id = m.id) FROM mailbox m ";

MailboxInfo read_mailbox_row(const Statement& stmt, AccountId owner) {
  MailboxInfo info;
  info.ref = MailboxRef{owner, stmt.column_int(0)};
  info.name = stmt.column_text(1);
  info.role = static_cast<SpecialUse>(stmt.column_int(2));
  info.subscribed = stmt.column_int(3) != 0;
  info.uid_validity = static_cast<std::uint32_t>(stmt.column_int(4));
  info.uid_next = static_cast<std::uint32_t>(stmt.column_int(5));
  info.highest_modseq = static_cast<std::uint64_t>(stmt.column_int(6));
  info.messages = static_cast<std::uint32_t>(stmt.column_int(7));
  info.unseen = static_cast<std::uint32_t>(stmt.column_int(8));
  info.size = static_cast<std::uint64_t>(stmt.column_int(9));
  return info;
}

// The same columns without the three counts, which each scan the mailbox's messages: for the access checks
// that every message read and write makes (messages, unseen and size read as 0).
constexpr std::string_view kMailboxColumnsWithoutCounts =
    "SELECT m.id, m.name, m.role, m.subscribed, m.uid_validity, m.uid_next, m.highest_modseq, 0, 0, 0 "
    "FROM mailbox m ";

Result<MailboxInfo> load_mailbox_with(Database& db, std::string_view columns, AccountId owner, const Principal& who,
                                      std::int64_t id) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare(std::string(columns) + "WHERE m.id = ?"));
  BULWARK_TRY_ASSIGN(bool row, stmt.bind(1, id).step());
  if (!row) return tl::unexpected(no_mailbox());
  auto info = read_mailbox_row(stmt, owner);
  BULWARK_TRY_ASSIGN(info.rights, rights_on(db, owner, who, id));
  if (!info.rights.has(Right::lookup) && !info.rights.has(Right::read)) return tl::unexpected(no_mailbox());
  return info;
}

// Loads a mailbox the principal may see (l or r); otherwise not_found, so existence does not leak.
Result<MailboxInfo> load_mailbox(Database& db, AccountId owner, const Principal& who, std::int64_t id) {
  return load_mailbox_with(db, kMailboxColumns, owner, who, id);
}

// load_mailbox() without the message counts (they read as 0): name, UIDVALIDITY, modseq and rights only.
Result<MailboxInfo> check_mailbox(Database& db, AccountId owner, const Principal& who, std::int64_t id) {
  return load_mailbox_with(db, kMailboxColumnsWithoutCounts, owner, who, id);
}

// check_mailbox() and the right: the access check before every message read or write.
Result<MailboxInfo> require(Database& db, AccountId owner, const Principal& who, std::int64_t id, Right right) {
  BULWARK_TRY_ASSIGN(auto info, check_mailbox(db, owner, who, id));
  if (!info.rights.has(right)) return tl::unexpected(denied());
  return info;
}

Result<std::uint64_t> used_bytes(Database& db) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare("SELECT coalesce(sum(bytes), 0) FROM mailbox"));
  BULWARK_TRY_ASSIGN(bool row, stmt.step());
  (void)row;
  return static_cast<std::uint64_t>(stmt.column_int(0));
}

Result<std::uint32_t> next_uid_validity(Database& db) {
  // Seeded from the clock, then strictly increasing: a re-created mailbox never reuses a UIDVALIDITY.
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare(
      "INSERT INTO meta(key, value) VALUES('uid_validity', ?) "
      "ON CONFLICT(key) DO UPDATE SET value = max(value + 1, excluded.value) RETURNING value"));
  BULWARK_TRY_ASSIGN(bool row, stmt.bind(1, now_seconds() & 0x7fffffff).step());
  (void)row;
  return static_cast<std::uint32_t>(stmt.column_int(0));
}

Result<MailboxInfo> insert_mailbox(Database& db, AccountId owner, const Principal& who, const std::string& name,
                                   SpecialUse role) {
  BULWARK_TRY_ASSIGN(auto validity, next_uid_validity(db));
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare("INSERT INTO mailbox(name, role, uid_validity) VALUES(?, ?, ?)"));
  auto status = stmt.bind(1, name).bind(2, static_cast<std::int64_t>(role)).bind(3, validity).run();
  if (!status) {
    if (status.error().code == Errc::already_exists) return fail(Errc::already_exists, "mailbox already exists");
    return tl::unexpected(status.error());
  }
  return load_mailbox(db, owner, who, db.last_insert_rowid());
}

struct MessageInsert {
  std::uint32_t uid;
  std::uint64_t modseq;
  std::uint32_t uid_validity;
};

Result<MessageInsert> insert_message(Database& db, std::int64_t mailbox_id, const std::string& flags_text,
                                     std::int64_t internal_date, std::uint64_t size, const std::string& blob_id,
                                     const std::string& structure) {
  BULWARK_TRY_ASSIGN(auto bump, db.prepare(
      "UPDATE mailbox SET uid_next = uid_next + 1, highest_modseq = highest_modseq + 1 WHERE id = ? "
      "RETURNING uid_next - 1, highest_modseq, uid_validity"));
  BULWARK_TRY_ASSIGN(bool row, bump.bind(1, mailbox_id).step());
  if (!row) return tl::unexpected(no_mailbox());
  MessageInsert out{static_cast<std::uint32_t>(bump.column_int(0)), static_cast<std::uint64_t>(bump.column_int(1)),
                    static_cast<std::uint32_t>(bump.column_int(2))};
  BULWARK_TRY(bump.run());
  BULWARK_TRY_ASSIGN(auto insert, db.prepare(
      "INSERT INTO message(mailbox_id, uid, modseq, flags, internal_date, size, blob_id, structure) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
  BULWARK_TRY(insert.bind(1, mailbox_id)
                  .bind(2, out.uid)
                  .bind(3, static_cast<std::int64_t>(out.modseq))
                  .bind(4, flags_text)
                  .bind(5, internal_date)
                  .bind(6, static_cast<std::int64_t>(size))
                  .bind(7, blob_id)
                  .bind_blob(8, structure)
                  .run());
  return out;
}

Result<std::uint64_t> bump_modseq(Database& db, std::int64_t mailbox_id) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare(
      "UPDATE mailbox SET highest_modseq = highest_modseq + 1 WHERE id = ? RETURNING highest_modseq"));
  BULWARK_TRY_ASSIGN(bool row, stmt.bind(1, mailbox_id).step());
  if (!row) return tl::unexpected(no_mailbox());
  auto modseq = static_cast<std::uint64_t>(stmt.column_int(0));
  BULWARK_TRY(stmt.run());
  return modseq;
}

// Removes messages and records them as expunged at one new modseq (for QRESYNC/VANISHED), inside the caller's
// transaction.
template <class Uids, class UidOf>
Status remove_messages(Database& db, std::int64_t mailbox_id, const Uids& uids, UidOf uid_of) {
  if (uids.empty()) return ok();
  BULWARK_TRY_ASSIGN(auto modseq, bump_modseq(db, mailbox_id));
  for (const auto& item : uids) {
    std::int64_t uid = uid_of(item);
    BULWARK_TRY_ASSIGN(auto del, db.prepare("DELETE FROM message WHERE mailbox_id = ? AND uid = ?"));
    BULWARK_TRY(del.bind(1, mailbox_id).bind(2, uid).run());
    BULWARK_TRY_ASSIGN(auto record, db.prepare(
        "INSERT OR REPLACE INTO expunged(mailbox_id, uid, modseq) VALUES(?, ?, ?)"));
    BULWARK_TRY(record.bind(1, mailbox_id).bind(2, uid).bind(3, static_cast<std::int64_t>(modseq)).run());
  }
  return ok();
}

constexpr std::string_view kMessageColumns =
    "SELECT uid, modseq, flags, internal_date, size, blob_id, structure FROM message ";

// One row selected with kMessageColumns.
MessageRecord read_message_row(const Statement& stmt) {
  MessageRecord m;
  m.uid = static_cast<std::uint32_t>(stmt.column_int(0));
  m.modseq = static_cast<std::uint64_t>(stmt.column_int(1));
  m.flags = text_to_flags(stmt.column_text(2));
  m.internal_date = stmt.column_int(3);
  m.size = static_cast<std::uint64_t>(stmt.column_int(4));
  m.blob_id = stmt.column_text(5);
  m.structure = stmt.column_text(6);
  return m;
}

Result<std::optional<MessageRecord>> load_message(Database& db, std::int64_t mailbox_id, std::uint32_t uid) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare(std::string(kMessageColumns) + "WHERE mailbox_id = ? AND uid = ?"));
  BULWARK_TRY_ASSIGN(bool row, stmt.bind(1, mailbox_id).bind(2, uid).step());
  if (!row) return std::optional<MessageRecord>();
  return std::optional<MessageRecord>(read_message_row(stmt));
}

Status check_quota(Database& db, std::uint64_t quota, std::uint64_t adding) {
  if (quota == 0) return ok();
  BULWARK_TRY_ASSIGN(auto used, used_bytes(db));
  if (used + adding > quota) return fail(Errc::quota_exceeded, "mailbox full");
  return ok();
}

// A message body kept inside the account's database (ADR 0003), or nullopt when it lives in the blob store.
Result<std::optional<std::string>> load_body(Database& db, const std::string& blob_id) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare("SELECT data FROM body WHERE id = ?"));
  BULWARK_TRY_ASSIGN(bool row, stmt.bind(1, blob_id).step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(stmt.column_text(0));
}

Status insert_body(Database& db, const std::string& blob_id, std::string_view data) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare("INSERT OR IGNORE INTO body(id, data) VALUES(?, ?)"));
  return stmt.bind(1, blob_id).bind_blob_borrowed(2, data).run();  // `data` outlives `stmt`
}

Result<bool> has_row(Database& db, std::string_view sql) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare(sql));
  return stmt.step();
}

// Gives a database made before mailbox.bytes existed the column, filled from its messages, and the triggers
// that keep it, all in one transaction (the admin CLI may open the same file). A no-op read when present.
Status ensure_usage_counter(Database& db) {
  constexpr std::string_view kHasColumn = "SELECT 1 FROM pragma_table_info('mailbox') WHERE name = 'bytes'";
  constexpr std::string_view kHasTriggers =
      "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'message_bytes_update'";
  BULWARK_TRY_ASSIGN(bool column, has_row(db, kHasColumn));
  BULWARK_TRY_ASSIGN(bool triggers, has_row(db, kHasTriggers));
  if (column && triggers) return ok();
  Database::Transaction txn(db);
  BULWARK_TRY(txn.begin());
  BULWARK_TRY_ASSIGN(column, has_row(db, kHasColumn));  // another process may have done it meanwhile
  if (!column) BULWARK_TRY(db.exec("ALTER TABLE mailbox ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0"));
  BULWARK_TRY_ASSIGN(triggers, has_row(db, kHasTriggers));
  if (!triggers) {
    BULWARK_TRY(db.exec(
        "UPDATE mailbox SET bytes = (SELECT coalesce(sum(size), 0) FROM message WHERE mailbox_id = mailbox.id)"));
    BULWARK_TRY(db.exec(kUsageTriggers));
  }
  return txn.commit();
}

// The INBOX's id, creating it for an account created before its first login.
Result<std::int64_t> inbox_id(Database& db) {
  BULWARK_TRY_ASSIGN(auto inbox, db.prepare("SELECT id FROM mailbox WHERE name = 'INBOX'"));
  BULWARK_TRY_ASSIGN(bool row, inbox.step());
  if (row) return inbox.column_int(0);
  BULWARK_TRY_ASSIGN(auto validity, next_uid_validity(db));
  BULWARK_TRY_ASSIGN(auto create, db.prepare("INSERT INTO mailbox(name, role, uid_validity) VALUES('INBOX', 0, ?)"));
  BULWARK_TRY(create.bind(1, validity).run());
  return db.last_insert_rowid();
}

using group_commit::PendingDelivery;

// One delivery inside the batch's transaction, in its own savepoint so that a failure undoes only this one.
// `used` is the account's usage, summed once per batch (only when some delivery has a quota) and kept current.
Result<Appended> deliver_one(Database& db, std::int64_t inbox, const PendingDelivery& p,
                             std::optional<std::uint64_t>& used) {
  if (p.quota != 0) {
    if (!used) {
      BULWARK_TRY_ASSIGN(used, used_bytes(db));
    }
    if (*used + p.size > p.quota) return fail(Errc::quota_exceeded, "mailbox full");
  }
  BULWARK_TRY(db.exec("SAVEPOINT delivery"));
  auto inserted = [&]() -> Result<MessageInsert> {
    if (p.is_inline) BULWARK_TRY(insert_body(db, p.blob_id, p.content));
    return insert_message(db, inbox, p.flags_text, p.internal_date, p.size, p.blob_id, std::string(p.structure));
  }();
  if (!inserted) {
    (void)db.exec("ROLLBACK TO delivery");
    (void)db.exec("RELEASE delivery");
    return tl::unexpected(inserted.error());
  }
  BULWARK_TRY(db.exec("RELEASE delivery"));
  if (used) *used += p.size;
  return Appended{inserted->uid_validity, inserted->uid, inserted->modseq};
}

// With the account's lock held: every queued delivery in one transaction, so one WAL sync at COMMIT makes the
// whole batch durable. A failed BEGIN or COMMIT fails every delivery of the batch.
std::vector<Result<Appended>> commit_batch(Database& db, const std::vector<PendingDelivery*>& batch) {
  std::vector<Result<Appended>> out;
  auto fail_all = [&](const Error& error) {
    out.assign(batch.size(), Result<Appended>(tl::unexpected(error)));
    return out;
  };
  Database::Transaction txn(db);
  if (auto status = txn.begin(); !status) return fail_all(status.error());
  auto inbox = inbox_id(db);
  if (!inbox) return fail_all(inbox.error());
  std::optional<std::uint64_t> used;
  for (const auto* p : batch) out.push_back(deliver_one(db, *inbox, *p, used));
  if (auto status = txn.commit(); !status) return fail_all(status.error());
  return out;
}

}  // namespace

SqliteMailStore::SqliteMailStore(std::filesystem::path data_dir, std::shared_ptr<BlobStore> blobs,
                                 std::uint64_t inline_body_max, WalLimits wal_limits, std::size_t read_connections)
    : data_dir_(std::move(data_dir)),
      blobs_(std::move(blobs)),
      inline_body_max_(inline_body_max),
      checkpointer_(wal_limits),
      read_connections_(read_connections) {}

SqliteMailStore::~SqliteMailStore() = default;

Result<std::shared_ptr<SqliteMailStore::AccountDb>> SqliteMailStore::account_db(AccountId owner, bool create) {
  std::lock_guard lock(pool_mutex_);
  if (auto it = pool_.find(owner); it != pool_.end()) return it->second;
  auto dir = data_dir_ / "accounts" / std::to_string(owner);
  auto path = dir / "mail.db";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (!create) return tl::unexpected(no_mailbox());
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail(Errc::temporary_failure, "cannot create " + dir.string() + ": " + ec.message());
  }
  BULWARK_TRY_ASSIGN(auto db, Database::open(path));
  BULWARK_TRY(db.exec(kSchema));
  BULWARK_TRY(ensure_usage_counter(db));
  auto account = std::make_shared<AccountDb>(owner, std::move(db), path, read_connections_);
  account->wal.path = path;
  account->wal.lock = std::shared_ptr<std::mutex>(account, &account->mutex);
  checkpointer_.attach(account->db, account->wal);
  pool_.emplace(owner, account);
  return account;
}

Status SqliteMailStore::provision(const Principal& who) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(who.account_id(), true));
  std::lock_guard lock(adb->mutex);
  Database::Transaction txn(adb->db);
  BULWARK_TRY(txn.begin());
  for (const auto& [name, role] : kDefaultMailboxes) {
    BULWARK_TRY_ASSIGN(auto exists, adb->db.prepare("SELECT 1 FROM mailbox WHERE name = ?"));
    BULWARK_TRY_ASSIGN(bool row, exists.bind(1, name).step());
    if (row) continue;
    BULWARK_TRY(insert_mailbox(adb->db, who.account_id(), who, std::string(name), role));
  }
  return txn.commit();
}

Result<std::vector<MailboxInfo>> SqliteMailStore::list_mailboxes(const Principal& who, AccountId owner) {
  bool own = who.account_id() == owner;
  auto adb_result = account_db(owner, own);
  if (!adb_result) {
    if (!own && adb_result.error().code == Errc::not_found) return std::vector<MailboxInfo>{};
    return tl::unexpected(adb_result.error());
  }
  auto adb = *adb_result;
  BULWARK_TRY_ASSIGN(auto lease, adb->readers.acquire());
  auto& db = lease.db();
  ReadTransaction read(db);
  BULWARK_TRY(read.begin());
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare(std::string(kMailboxColumns) + "ORDER BY m.name"));
  std::vector<MailboxInfo> out;
  for (;;) {
    BULWARK_TRY_ASSIGN(bool row, stmt.step());
    if (!row) break;
    auto info = read_mailbox_row(stmt, owner);
    BULWARK_TRY_ASSIGN(info.rights, rights_on(db, owner, who, info.ref.id));
    if (info.rights.has(Right::lookup)) out.push_back(std::move(info));
  }
  return out;
}

namespace {
// The id of the mailbox with this (not yet canonical) name, inside the caller's transaction.
Result<std::int64_t> mailbox_id_by_name(Database& db, std::string_view name) {
  BULWARK_TRY_ASSIGN(auto canonical, domain::mail::canonical_mailbox_name(name));
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare("SELECT id FROM mailbox WHERE name = ?"));
  BULWARK_TRY_ASSIGN(bool row, stmt.bind(1, canonical).step());
  if (!row) return tl::unexpected(no_mailbox());
  return stmt.column_int(0);
}
}  // namespace

Result<MailboxInfo> SqliteMailStore::find_mailbox(const Principal& who, AccountId owner, std::string_view name) {
  return mailbox_by_name(who, owner, name, true);
}

Result<MailboxInfo> SqliteMailStore::lookup_mailbox(const Principal& who, AccountId owner, std::string_view name) {
  return mailbox_by_name(who, owner, name, false);
}

Result<MailboxInfo> SqliteMailStore::mailbox_by_name(const Principal& who, AccountId owner, std::string_view name,
                                                     bool with_counts) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(owner, who.account_id() == owner));
  BULWARK_TRY_ASSIGN(auto lease, adb->readers.acquire());
  auto& db = lease.db();
  ReadTransaction read(db);
  BULWARK_TRY(read.begin());
  BULWARK_TRY_ASSIGN(auto id, mailbox_id_by_name(db, name));
  // Either way the same visibility rule: the mailbox exists for the principal with right l or r.
  return with_counts ? load_mailbox(db, owner, who, id) : check_mailbox(db, owner, who, id);
}

Result<MailboxInfo> SqliteMailStore::create_mailbox(const Principal& who, AccountId owner, std::string_view name,
                                                    SpecialUse role) {
  BULWARK_TRY_ASSIGN(auto canonical, domain::mail::canonical_mailbox_name(name));
  // Creating in someone else's account needs k on the parent; until shared namespaces exist, only the owner.
  if (who.account_id() != owner) return tl::unexpected(denied());
  if (canonical == "INBOX") return fail(Errc::already_exists, "INBOX always exists");
  BULWARK_TRY_ASSIGN(auto adb, account_db(owner, true));
  std::lock_guard lock(adb->mutex);
  return insert_mailbox(adb->db, owner, who, canonical, role);
}

Status SqliteMailStore::delete_mailbox(const Principal& who, MailboxRef mailbox) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(mailbox.owner, who.account_id() == mailbox.owner));
  std::lock_guard lock(adb->mutex);
  BULWARK_TRY_ASSIGN(auto info, require(adb->db, mailbox.owner, who, mailbox.id, Right::delete_mailbox));
  if (info.name == "INBOX") return fail(Errc::invalid_argument, "INBOX cannot be deleted");
  BULWARK_TRY_ASSIGN(auto stmt, adb->db.prepare("DELETE FROM mailbox WHERE id = ?"));
  return stmt.bind(1, mailbox.id).run();
}

Status SqliteMailStore::rename_mailbox(const Principal& who, MailboxRef mailbox, std::string_view new_name) {
  BULWARK_TRY_ASSIGN(auto canonical, domain::mail::canonical_mailbox_name(new_name));
  if (canonical == "INBOX") return fail(Errc::already_exists, "INBOX always exists");
  BULWARK_TRY_ASSIGN(auto adb, account_db(mailbox.owner, who.account_id() == mailbox.owner));
  std::lock_guard lock(adb->mutex);
  BULWARK_TRY_ASSIGN(auto info, require(adb->db, mailbox.owner, who, mailbox.id, Right::delete_mailbox));
  Database::Transaction txn(adb->db);
  BULWARK_TRY(txn.begin());
  if (info.name == "INBOX") {
    // RFC 9051 6.3.6: renaming INBOX moves its messages to the new mailbox and leaves INBOX empty.
    BULWARK_TRY_ASSIGN(auto created, insert_mailbox(adb->db, mailbox.owner, who, canonical, SpecialUse::none));
    BULWARK_TRY_ASSIGN(auto moved, adb->db.prepare("UPDATE message SET mailbox_id = ? WHERE mailbox_id = ?"));
    BULWARK_TRY(moved.bind(1, created.ref.id).bind(2, mailbox.id).run());
    BULWARK_TRY_ASSIGN(auto uids, adb->db.prepare(
        "UPDATE mailbox SET uid_next = (SELECT coalesce(max(uid), 0) + 1 FROM message WHERE mailbox_id = ?1) "
        "WHERE id = ?1"));
    BULWARK_TRY(uids.bind(1, created.ref.id).run());
  } else {
    BULWARK_TRY_ASSIGN(auto stmt, adb->db.prepare(
        "UPDATE mailbox SET name = ?1 || substr(name, ?3) WHERE name = ?2 OR substr(name, 1, ?3) = ?2 || '/'"));
    auto status = stmt.bind(1, canonical).bind(2, info.name).bind(3, static_cast<std::int64_t>(info.name.size() + 1)).run();
    if (!status) {
      if (status.error().code == Errc::already_exists) return fail(Errc::already_exists, "mailbox already exists");
      return status;
    }
  }
  return txn.commit();
}

Status SqliteMailStore::set_subscribed(const Principal& who, MailboxRef mailbox, bool subscribed) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(mailbox.owner, who.account_id() == mailbox.owner));
  std::lock_guard lock(adb->mutex);
  // Subscriptions of other people's mailboxes belong to the subscriber; shared namespaces will add that table.
  if (who.account_id() != mailbox.owner) return tl::unexpected(denied());
  BULWARK_TRY(check_mailbox(adb->db, mailbox.owner, who, mailbox.id));
  BULWARK_TRY_ASSIGN(auto stmt, adb->db.prepare("UPDATE mailbox SET subscribed = ? WHERE id = ?"));
  return stmt.bind(1, subscribed ? 1 : 0).bind(2, mailbox.id).run();
}

Status SqliteMailStore::set_rights(const Principal& who, MailboxRef mailbox, AccountId grantee, Rights rights) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(mailbox.owner, who.account_id() == mailbox.owner));
  std::lock_guard lock(adb->mutex);
  BULWARK_TRY(require(adb->db, mailbox.owner, who, mailbox.id, Right::administer));
  if (grantee == mailbox.owner) return fail(Errc::invalid_argument, "the owner always has every right");
  if (rights.empty()) {
    BULWARK_TRY_ASSIGN(auto stmt, adb->db.prepare("DELETE FROM acl WHERE mailbox_id = ? AND grantee = ?"));
    return stmt.bind(1, mailbox.id).bind(2, grantee).run();
  }
  BULWARK_TRY_ASSIGN(auto stmt, adb->db.prepare(
      "INSERT INTO acl(mailbox_id, grantee, rights) VALUES(?, ?, ?) "
      "ON CONFLICT(mailbox_id, grantee) DO UPDATE SET rights = excluded.rights"));
  return stmt.bind(1, mailbox.id).bind(2, grantee).bind(3, rights.bits()).run();
}

Result<BlobRef> SqliteMailStore::store_blob(std::string_view content) {
  BULWARK_TRY_ASSIGN(auto id, blobs_->put(content));
  return make_blob_ref(std::move(id), content.size());
}

Result<Appended> SqliteMailStore::append(const Principal& who, MailboxRef mailbox, const BlobRef& blob,
                                         const NewMessage& message) {
  BULWARK_TRY_ASSIGN(auto flags, canonical_flags(message.flags));
  BULWARK_TRY_ASSIGN(auto adb, account_db(mailbox.owner, who.account_id() == mailbox.owner));
  const auto date = message.internal_date ? message.internal_date : now_seconds();
  const auto flags_text = flags_to_text(flags);
  MessageInsert inserted{};
  const WriteGroup::Work work = [&](Database& db) -> Status {
    BULWARK_TRY(require(db, mailbox.owner, who, mailbox.id, Right::insert));
    if (who.account_id() == mailbox.owner) BULWARK_TRY(check_quota(db, who.quota_bytes(), blob.size()));
    BULWARK_TRY_ASSIGN(inserted, insert_message(db, mailbox.id, flags_text, date, blob.size(), blob.id(),
                                                message.structure));
    return ok();
  };
  BULWARK_TRY(adb->writes.run(adb->mutex, adb->db, work));
  note_new_mail(mailbox.owner, blob.id());
  return Appended{inserted.uid_validity, inserted.uid, inserted.modseq};
}

Result<Appended> SqliteMailStore::append_message(const Principal& who, MailboxRef mailbox, std::string_view content,
                                                 const NewMessage& message) {
  // Larger messages, and appends into another account's mailbox (the bytes would be copied on every move
  // between accounts), go to the blob store.
  if (content.size() > inline_body_max_ || who.account_id() != mailbox.owner) {
    return MailStore::append_message(who, mailbox, content, message);
  }
  BULWARK_TRY_ASSIGN(auto flags, canonical_flags(message.flags));
  BULWARK_TRY_ASSIGN(auto adb, account_db(mailbox.owner, true));
  const auto date = message.internal_date ? message.internal_date : now_seconds();
  const auto flags_text = flags_to_text(flags);
  const auto blob_id = blob_fs::sha256_hex(content);
  MessageInsert inserted{};
  const WriteGroup::Work work = [&](Database& db) -> Status {
    BULWARK_TRY(require(db, mailbox.owner, who, mailbox.id, Right::insert));
    BULWARK_TRY(check_quota(db, who.quota_bytes(), content.size()));
    BULWARK_TRY(insert_body(db, blob_id, content));
    BULWARK_TRY_ASSIGN(inserted, insert_message(db, mailbox.id, flags_text, date, content.size(), blob_id,
                                                message.structure));
    return ok();
  };
  BULWARK_TRY(adb->writes.run(adb->mutex, adb->db, work));
  note_new_mail(mailbox.owner, blob_id);
  return Appended{inserted.uid_validity, inserted.uid, inserted.modseq};
}

Result<Appended> SqliteMailStore::deliver(const DeliveryTarget& target, const BlobRef& blob, const NewMessage& message) {
  BULWARK_TRY_ASSIGN(auto flags, canonical_flags(message.flags));
  BULWARK_TRY_ASSIGN(auto adb, account_db(target.account_id(), true));
  PendingDelivery pending;
  pending.quota = target.quota_bytes();
  pending.blob_id = blob.id();
  pending.size = blob.size();
  pending.flags_text = flags_to_text(flags);
  pending.internal_date = message.internal_date ? message.internal_date : now_seconds();
  pending.structure = message.structure;
  auto delivered = deliver_grouped(*adb, pending);
  if (delivered) note_new_mail(target.account_id(), blob.id());
  return delivered;
}

std::vector<Result<Appended>> SqliteMailStore::deliver_message(std::span<const DeliveryTarget> targets,
                                                               std::string_view content, const NewMessage& message) {
  std::vector<Result<Appended>> out;
  auto fail_all = [&](const Error& error) {
    out.assign(targets.size(), Result<Appended>(tl::unexpected(error)));
    return out;
  };
  auto flags = canonical_flags(message.flags);
  if (!flags) return fail_all(flags.error());
  // One account: the bytes go into its database with the message row (one sync). Several accounts: one blob
  // for all of them, so the message is stored once (ADR 0003).
  const bool is_inline = targets.size() == 1 && content.size() <= inline_body_max_;
  std::string blob_id;
  if (is_inline) {
    blob_id = blob_fs::sha256_hex(content);
  } else {
    auto stored = blobs_->put(content);
    if (!stored) return fail_all(stored.error());
    blob_id = std::move(*stored);
  }
  const auto date = message.internal_date ? message.internal_date : now_seconds();
  for (const auto& target : targets) {
    auto adb = account_db(target.account_id(), true);
    if (!adb) {
      out.emplace_back(tl::unexpected(adb.error()));
      continue;
    }
    PendingDelivery pending;
    pending.quota = target.quota_bytes();
    pending.is_inline = is_inline;
    pending.content = content;
    pending.blob_id = blob_id;
    pending.size = content.size();
    pending.flags_text = flags_to_text(*flags);
    pending.internal_date = date;
    pending.structure = message.structure;
    out.push_back(deliver_grouped(**adb, pending));
    if (out.back()) note_new_mail(target.account_id(), blob_id);
  }
  return out;
}

Result<Appended> SqliteMailStore::deliver_grouped(AccountDb& adb, PendingDelivery& mine) {
  std::unique_lock lock(adb.batch_mutex);
  adb.pending.push_back(&mine);
  while (!mine.result) {
    if (adb.committing) {
      adb.batch_done.wait(lock);
      continue;
    }
    // Leader: take everything queued so far (this delivery included) and commit it in one transaction.
    adb.committing = true;
    std::vector<PendingDelivery*> batch;
    batch.swap(adb.pending);
    lock.unlock();
    std::vector<Result<Appended>> results;
    try {
      std::lock_guard db_lock(adb.mutex);
      results = commit_batch(adb.db, batch);
    } catch (...) {  // out of memory: release the followers before the exception leaves
      lock.lock();
      for (auto* p : batch) p->result = Result<Appended>(fail(Errc::internal, "delivery batch aborted"));
      adb.committing = false;
      adb.batch_done.notify_all();
      throw;
    }
    lock.lock();
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->result = std::move(results[i]);
    adb.committing = false;
    adb.batch_done.notify_all();
  }
  return std::move(*mine.result);
}

Result<std::vector<MessageRecord>> SqliteMailStore::list_messages(const Principal& who, MailboxRef mailbox,
                                                                  std::uint32_t first_uid, std::uint32_t last_uid) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(mailbox.owner, who.account_id() == mailbox.owner));
  BULWARK_TRY_ASSIGN(auto lease, adb->readers.acquire());
  auto& db = lease.db();
  ReadTransaction read(db);
  BULWARK_TRY(read.begin());
  BULWARK_TRY(require(db, mailbox.owner, who, mailbox.id, Right::read));
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare(
      std::string(kMessageColumns) + "WHERE mailbox_id = ? AND uid BETWEEN ? AND ? ORDER BY uid"));
  stmt.bind(1, mailbox.id).bind(2, first_uid).bind(3, last_uid);
  std::vector<MessageRecord> out;
  for (;;) {
    BULWARK_TRY_ASSIGN(bool row, stmt.step());
    if (!row) break;
    out.push_back(read_message_row(stmt));
  }
  return out;
}

Result<std::vector<std::optional<std::string>>> SqliteMailStore::read_message_prefixes(
    const Principal& who, MailboxRef mailbox, std::span<const PrefixRequest> wanted) {
  std::vector<std::optional<std::string>> out(wanted.size());
  std::vector<std::pair<std::size_t, std::string>> in_files;  // request index, blob id
  {
    // One snapshot and one access check for all of them.
    BULWARK_TRY_ASSIGN(auto adb, account_db(mailbox.owner, who.account_id() == mailbox.owner));
    BULWARK_TRY_ASSIGN(auto lease, adb->readers.acquire());
    auto& db = lease.db();
    ReadTransaction read(db);
    BULWARK_TRY(read.begin());
    BULWARK_TRY(require(db, mailbox.owner, who, mailbox.id, Right::read));
    for (std::size_t i = 0; i < wanted.size(); ++i) {
      // Only the blob id: load_message() would also read the structure blob.
      BULWARK_TRY_ASSIGN(auto stmt, db.prepare("SELECT blob_id FROM message WHERE mailbox_id = ? AND uid = ?"));
      BULWARK_TRY_ASSIGN(bool row, stmt.bind(1, mailbox.id).bind(2, static_cast<std::int64_t>(wanted[i].uid)).step());
      if (!row) continue;  // expunged
      std::string blob_id = stmt.column_text(0);
      BULWARK_TRY_ASSIGN(auto body, load_body(db, blob_id));
      if (!body) {
        in_files.emplace_back(i, std::move(blob_id));
        continue;
      }
      if (body->size() > wanted[i].max_bytes) body->resize(wanted[i].max_bytes);
      out[i] = std::move(*body);
    }
  }
  for (auto& [i, blob_id] : in_files) {
    auto head = blobs_->get_prefix(blob_id, wanted[i].max_bytes);
    if (!head) {
      if (head.error().code == Errc::not_found) continue;  // collected after an expunge meanwhile
      return tl::unexpected(head.error());
    }
    out[i] = std::move(*head);
  }
  return out;
}

Result<std::string> SqliteMailStore::read_message(const Principal& who, MailboxRef mailbox, std::uint32_t uid) {
  std::string blob_id;
  {
    BULWARK_TRY_ASSIGN(auto adb, account_db(mailbox.owner, who.account_id() == mailbox.owner));
    BULWARK_TRY_ASSIGN(auto lease, adb->readers.acquire());
    auto& db = lease.db();
    ReadTransaction read(db);
    BULWARK_TRY(read.begin());
    BULWARK_TRY(require(db, mailbox.owner, who, mailbox.id, Right::read));
    BULWARK_TRY_ASSIGN(auto message, load_message(db, mailbox.id, uid));
    if (!message) return fail(Errc::not_found, "no such message");
    blob_id = message->blob_id;
    BULWARK_TRY_ASSIGN(auto body, load_body(db, blob_id));
    if (body) return std::move(*body);
  }
  return blobs_->get(blob_id);
}

namespace {
// The body of update_flags() inside a write group's transaction: the access check, then each message.
Status update_flags_in(Database& db, AccountId owner, const Principal& who, std::int64_t mailbox_id,
                       std::span<const std::uint32_t> uids, FlagOp op, const std::vector<std::string>& wanted,
                       std::optional<std::uint64_t> unchanged_since, std::vector<FlagChange>& changes,
                       std::vector<std::uint32_t>& failed);
}  // namespace

Result<std::vector<FlagChange>> SqliteMailStore::update_flags(const Principal& who, MailboxRef mailbox,
                                                              std::span<const std::uint32_t> uids, FlagOp op,
                                                              const std::vector<std::string>& flags,
                                                              std::optional<std::uint64_t> unchanged_since,
                                                              std::vector<std::uint32_t>* failed) {
  BULWARK_TRY_ASSIGN(auto wanted, canonical_flags(flags));
  BULWARK_TRY_ASSIGN(auto adb, account_db(mailbox.owner, who.account_id() == mailbox.owner));
  std::vector<FlagChange> changes;
  std::vector<std::uint32_t> failed_here;
  const WriteGroup::Work work = [&](Database& db) -> Status {
    changes.clear();
    failed_here.clear();
    return update_flags_in(db, mailbox.owner, who, mailbox.id, uids, op, wanted, unchanged_since, changes,
                           failed_here);
  };
  BULWARK_TRY(adb->writes.run(adb->mutex, adb->db, work));
  if (failed) failed->insert(failed->end(), failed_here.begin(), failed_here.end());
  return changes;
}

namespace {

Status update_flags_in(Database& db, AccountId owner, const Principal& who, std::int64_t mailbox_id,
                       std::span<const std::uint32_t> uids, FlagOp op, const std::vector<std::string>& wanted,
                       std::optional<std::uint64_t> unchanged_since, std::vector<FlagChange>& changes,
                       std::vector<std::uint32_t>& failed) {
  BULWARK_TRY_ASSIGN(auto info, check_mailbox(db, owner, who, mailbox_id));
  // RFC 4314 4: \Seen needs s, \Deleted needs t, anything else w. A FLAGS replace touches all three.
  auto allowed = [&](std::string_view flag) {
    if (flag == "\\Seen") return info.rights.has(Right::seen);
    if (flag == "\\Deleted") return info.rights.has(Right::delete_messages);
    return info.rights.has(Right::write);
  };
  if (!info.rights.has(Right::read)) return tl::unexpected(denied());
  for (const auto& f : wanted) {
    if (!allowed(f)) return tl::unexpected(denied());
  }
  if (op == FlagOp::replace && !(info.rights.has(Right::seen) && info.rights.has(Right::delete_messages) &&
                                 info.rights.has(Right::write))) {
    return tl::unexpected(denied());
  }
  for (auto uid : uids) {
    BULWARK_TRY_ASSIGN(auto message, load_message(db, mailbox_id, uid));
    if (!message) continue;
    if (unchanged_since && message->modseq > *unchanged_since) {
      failed.push_back(uid);
      continue;
    }
    std::vector<std::string> result;
    switch (op) {
      case FlagOp::replace: result = wanted; break;
      case FlagOp::add:
        result = message->flags;
        for (const auto& f : wanted) {
          if (!contains_flag(result, f)) result.push_back(f);
        }
        break;
      case FlagOp::remove:
        for (const auto& f : message->flags) {
          if (!contains_flag(wanted, f)) result.push_back(f);
        }
        break;
    }
    if (result == message->flags) continue;
    BULWARK_TRY_ASSIGN(auto modseq, bump_modseq(db, mailbox_id));
    BULWARK_TRY_ASSIGN(auto update, db.prepare("UPDATE message SET flags = ?, modseq = ? WHERE mailbox_id = ? AND uid = ?"));
    BULWARK_TRY(update.bind(1, flags_to_text(result)).bind(2, static_cast<std::int64_t>(modseq)).bind(3, mailbox_id).bind(4, uid).run());
    changes.push_back(FlagChange{uid, modseq, std::move(result)});
  }
  return ok();
}

}  // namespace

namespace {
// Up to this many UIDs, UID EXPUNGE looks each message up by its key instead of scanning the mailbox.
constexpr std::size_t kPointLookupLimit = 256;

Result<std::vector<std::uint32_t>> expunge_in(Database& db, AccountId owner, const Principal& who,
                                              std::int64_t mailbox_id,
                                              const std::optional<std::vector<std::uint32_t>>& uids) {
  BULWARK_TRY(require(db, owner, who, mailbox_id, Right::expunge));
  std::vector<std::uint32_t> gone;
  if (uids && uids->size() <= kPointLookupLimit) {
    // UID EXPUNGE of a few messages (a client deleting what the user just removed): look each one up rather
    // than scanning the mailbox; a scan of 10,000 messages cost 9-13 ms (docs/benchmarks.md, IMAP run 11).
    for (auto uid : *uids) {
      BULWARK_TRY_ASSIGN(auto one, db.prepare("SELECT flags FROM message WHERE mailbox_id = ? AND uid = ?"));
      BULWARK_TRY_ASSIGN(bool row, one.bind(1, mailbox_id).bind(2, static_cast<std::int64_t>(uid)).step());
      if (row && one.column_text(0).find(" \\Deleted ") != std::string::npos) gone.push_back(uid);
    }
  } else {
    // Through the covering modseq index (uid and flags, without the rows' structure blobs), sorted here.
    BULWARK_TRY_ASSIGN(auto select, db.prepare(
        "SELECT uid FROM message INDEXED BY message_modseq WHERE mailbox_id = ? AND instr(flags, ' \\Deleted ') > 0"));
    select.bind(1, mailbox_id);
    for (;;) {
      BULWARK_TRY_ASSIGN(bool row, select.step());
      if (!row) break;
      gone.push_back(static_cast<std::uint32_t>(select.column_int(0)));
    }
    if (uids) {
      const std::unordered_set<std::uint32_t> wanted(uids->begin(), uids->end());
      std::erase_if(gone, [&](std::uint32_t uid) { return !wanted.contains(uid); });
    }
  }
  std::sort(gone.begin(), gone.end());
  gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
  BULWARK_TRY(remove_messages(db, mailbox_id, gone, [](std::uint32_t uid) { return uid; }));
  return gone;
}
}  // namespace

Result<std::vector<std::uint32_t>> SqliteMailStore::expunge(const Principal& who, MailboxRef mailbox,
                                                            std::optional<std::vector<std::uint32_t>> uids) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(mailbox.owner, who.account_id() == mailbox.owner));
  std::vector<std::uint32_t> gone;
  const WriteGroup::Work work = [&](Database& db) -> Status {
    BULWARK_TRY_ASSIGN(gone, expunge_in(db, mailbox.owner, who, mailbox.id, uids));
    return ok();
  };
  BULWARK_TRY(adb->writes.run(adb->mutex, adb->db, work));
  return gone;
}

Result<MailStore::Copied> SqliteMailStore::copy(const Principal& who, MailboxRef from,
                                                std::span<const std::uint32_t> uids, MailboxRef to) {
  return copy_or_move(who, from, uids, to, false);
}

Result<MailStore::Copied> SqliteMailStore::move(const Principal& who, MailboxRef from,
                                                std::span<const std::uint32_t> uids, MailboxRef to) {
  return copy_or_move(who, from, uids, to, true);
}

Result<MailStore::Copied> SqliteMailStore::copy_or_move(const Principal& who, MailboxRef from,
                                                        std::span<const std::uint32_t> uids, MailboxRef to,
                                                        bool is_move) {
  BULWARK_TRY_ASSIGN(auto src, account_db(from.owner, who.account_id() == from.owner));
  BULWARK_TRY_ASSIGN(auto dst, account_db(to.owner, who.account_id() == to.owner));
  // Lock both accounts in id order so two opposite copies cannot deadlock.
  std::unique_lock<std::mutex> first, second;
  if (src == dst) {
    first = std::unique_lock(src->mutex);
  } else if (src->id < dst->id) {
    first = std::unique_lock(src->mutex);
    second = std::unique_lock(dst->mutex);
  } else {
    first = std::unique_lock(dst->mutex);
    second = std::unique_lock(src->mutex);
  }
  BULWARK_TRY(require(src->db, from.owner, who, from.id, Right::read));
  BULWARK_TRY_ASSIGN(auto target, require(dst->db, to.owner, who, to.id, Right::insert));
  if (is_move) {
    BULWARK_TRY_ASSIGN(auto source, check_mailbox(src->db, from.owner, who, from.id));
    if (!source.rights.has(Right::delete_messages) || !source.rights.has(Right::expunge)) {
      return tl::unexpected(denied());
    }
  }
  std::vector<MessageRecord> messages;
  for (auto uid : uids) {
    BULWARK_TRY_ASSIGN(auto message, load_message(src->db, from.id, uid));
    if (message) messages.push_back(std::move(*message));
  }
  Copied out;
  out.uid_validity = target.uid_validity;
  {
    Database::Transaction txn(dst->db);
    BULWARK_TRY(txn.begin());
    if (who.account_id() == to.owner) {
      std::uint64_t adding = 0;
      for (const auto& m : messages) adding += m.size;
      if (!(is_move && src == dst)) BULWARK_TRY(check_quota(dst->db, who.quota_bytes(), adding));
    }
    for (const auto& m : messages) {
      if (src != dst) {  // a body kept in the source account's database goes along (ADR 0003)
        BULWARK_TRY_ASSIGN(auto body, load_body(src->db, m.blob_id));
        if (body) BULWARK_TRY(insert_body(dst->db, m.blob_id, *body));
      }
      BULWARK_TRY_ASSIGN(auto inserted, insert_message(dst->db, to.id, flags_to_text(m.flags), m.internal_date, m.size,
                                                       m.blob_id, m.structure));
      out.uids.emplace_back(m.uid, inserted.uid);
    }
    if (is_move && src == dst) {
      // Same database: the copy and the removal commit together.
      BULWARK_TRY(remove_messages(src->db, from.id, messages, [](const MessageRecord& m) { return m.uid; }));
    }
    BULWARK_TRY(txn.commit());
  }
  for (const auto& m : messages) note_new_mail(to.owner, m.blob_id);
  if (is_move && src != dst && !messages.empty()) {
    // Different accounts: the copy is durable first, so a crash here duplicates, never loses.
    Database::Transaction txn(src->db);
    BULWARK_TRY(txn.begin());
    BULWARK_TRY(remove_messages(src->db, from.id, messages, [](const MessageRecord& m) { return m.uid; }));
    BULWARK_TRY(txn.commit());
  }
  return out;
}

Result<Usage> SqliteMailStore::usage(const Principal& who) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(who.account_id(), true));
  BULWARK_TRY_ASSIGN(auto lease, adb->readers.acquire());
  auto& db = lease.db();
  ReadTransaction read(db);
  BULWARK_TRY(read.begin());
  BULWARK_TRY_ASSIGN(auto used, used_bytes(db));
  return Usage{used, who.quota_bytes()};
}

Result<Usage> SqliteMailStore::delivery_usage(const DeliveryTarget& target) {
  auto adb = account_db(target.account_id(), false);
  if (!adb) {
    if (adb.error().code == Errc::not_found) return Usage{0, target.quota_bytes()};  // no mail.db yet
    return tl::unexpected(adb.error());
  }
  std::lock_guard lock((*adb)->mutex);
  BULWARK_TRY_ASSIGN(auto used, used_bytes((*adb)->db));
  return Usage{used, target.quota_bytes()};
}

namespace {

Result<MailboxState> read_state(Database& db, std::int64_t mailbox_id) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare(
      "SELECT uid_validity, uid_next, highest_modseq, (SELECT count(*) FROM message WHERE mailbox_id = ?1) "
      "FROM mailbox WHERE id = ?1"));
  BULWARK_TRY_ASSIGN(bool row, stmt.bind(1, mailbox_id).step());
  if (!row) return tl::unexpected(no_mailbox());
  MailboxState state;
  state.uid_validity = static_cast<std::uint32_t>(stmt.column_int(0));
  state.uid_next = static_cast<std::uint32_t>(stmt.column_int(1));
  state.highest_modseq = static_cast<std::uint64_t>(stmt.column_int(2));
  state.messages = static_cast<std::uint32_t>(stmt.column_int(3));
  return state;
}

}  // namespace

Result<MailboxState> SqliteMailStore::mailbox_state(const Principal& who, MailboxRef mailbox) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(mailbox.owner, who.account_id() == mailbox.owner));
  BULWARK_TRY_ASSIGN(auto lease, adb->readers.acquire());
  auto& db = lease.db();
  ReadTransaction read(db);
  BULWARK_TRY(read.begin());
  BULWARK_TRY(require(db, mailbox.owner, who, mailbox.id, Right::read));
  return read_state(db, mailbox.id);
}

namespace {
// Messages changed and (with `with_expunged`) uids expunged after `since`, inside the caller's read
// transaction, access already checked.
Result<MailboxChanges> changes_in(Database& db, std::int64_t mailbox_id, std::uint64_t since, bool with_expunged) {
  MailboxChanges out;
  BULWARK_TRY_ASSIGN(out.state, read_state(db, mailbox_id));
  if (since >= out.state.highest_modseq) return out;
  // Through the covering modseq index, also from 0 (SELECT): it holds uid, modseq and flags, and sorting its
  // entries is cheaper than reading every row with its structure blob (the planner alone prefers the primary
  // key for the ORDER BY, and scans the whole mailbox for every change).
  BULWARK_TRY_ASSIGN(auto changed, db.prepare(
      "SELECT uid, modseq, flags FROM message INDEXED BY message_modseq "
      "WHERE mailbox_id = ? AND modseq > ? ORDER BY uid"));
  changed.bind(1, mailbox_id).bind(2, static_cast<std::int64_t>(since));
  for (;;) {
    BULWARK_TRY_ASSIGN(bool row, changed.step());
    if (!row) break;
    out.changed.push_back(MessageFlags{static_cast<std::uint32_t>(changed.column_int(0)),
                                       static_cast<std::uint64_t>(changed.column_int(1)),
                                       text_to_flags(changed.column_text(2))});
  }
  if (!with_expunged) return out;
  BULWARK_TRY_ASSIGN(auto expunged, db.prepare(
      since == 0 ? "SELECT uid FROM expunged WHERE mailbox_id = ? AND modseq > ? ORDER BY uid"
                 : "SELECT uid FROM expunged INDEXED BY expunged_modseq WHERE mailbox_id = ? AND modseq > ? ORDER BY uid"));
  expunged.bind(1, mailbox_id).bind(2, static_cast<std::int64_t>(since));
  for (;;) {
    BULWARK_TRY_ASSIGN(bool row, expunged.step());
    if (!row) break;
    out.expunged.push_back(static_cast<std::uint32_t>(expunged.column_int(0)));
  }
  return out;
}
}  // namespace

Result<MailboxChanges> SqliteMailStore::changes_since(const Principal& who, MailboxRef mailbox, std::uint64_t since) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(mailbox.owner, who.account_id() == mailbox.owner));
  BULWARK_TRY_ASSIGN(auto lease, adb->readers.acquire());
  auto& db = lease.db();
  ReadTransaction read(db);
  BULWARK_TRY(read.begin());
  BULWARK_TRY(require(db, mailbox.owner, who, mailbox.id, Right::read));
  return changes_in(db, mailbox.id, since, true);
}

// One read transaction instead of find_mailbox() and changes_since(): no message counts (three scans of the
// mailbox that SELECT does not use; it counts from the list) and one trip to the blocking pool.
Result<MailStore::Opened> SqliteMailStore::open_mailbox(const Principal& who, AccountId owner, std::string_view name,
                                                       std::optional<KnownMailbox> known) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(owner, who.account_id() == owner));
  BULWARK_TRY_ASSIGN(auto lease, adb->readers.acquire());
  auto& db = lease.db();
  ReadTransaction read(db);
  BULWARK_TRY(read.begin());
  BULWARK_TRY_ASSIGN(auto id, mailbox_id_by_name(db, name));
  BULWARK_TRY_ASSIGN(auto info, check_mailbox(db, owner, who, id));
  Opened out;
  if (info.rights.has(Right::read)) {
    out.incremental = known && known->mailbox_id == info.ref.id && known->since != 0;
    // Every message without the expunge log (a new view has nothing to remove), or the changes since.
    BULWARK_TRY_ASSIGN(out.changes, changes_in(db, info.ref.id, out.incremental ? known->since : 0, out.incremental));
    info.messages = out.changes.state.messages;
  }
  out.info = std::move(info);
  return out;
}

// --- search index (search_index.h, search_indexer.h) ---

void SqliteMailStore::enable_search_index(SearchIndexOptions options, bool background) {
  if (!options.enabled || !options.text_of) return;
  SearchIndexer::Source source;
  source.blob_ids = [this](AccountId owner) { return account_blob_ids(owner); };
  source.read_blob = [this](AccountId owner, const std::string& blob_id) { return account_blob(owner, blob_id); };
  search_indexer_ = std::make_unique<SearchIndexer>(data_dir_, std::move(options), std::move(source));
  if (background) search_indexer_->allow_background();
}

Status SqliteMailStore::build_search_index(AccountId account) {
  if (!search_indexer_) return fail(Errc::unavailable, "the search index is off");
  return search_indexer_->index_account(account);
}

void SqliteMailStore::note_new_mail(AccountId owner, std::string_view blob_id) {
  if (search_indexer_) search_indexer_->notify_new(owner, std::string(blob_id));
}

Result<std::vector<std::string>> SqliteMailStore::account_blob_ids(AccountId owner) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(owner, false));
  BULWARK_TRY_ASSIGN(auto lease, adb->readers.acquire());
  BULWARK_TRY_ASSIGN(auto stmt, lease.db().prepare("SELECT DISTINCT blob_id FROM message"));
  std::vector<std::string> out;
  for (;;) {
    BULWARK_TRY_ASSIGN(bool row, stmt.step());
    if (!row) break;
    out.push_back(stmt.column_text(0));
  }
  return out;
}

Result<std::string> SqliteMailStore::account_blob(AccountId owner, const std::string& blob_id) {
  {
    BULWARK_TRY_ASSIGN(auto adb, account_db(owner, false));
    BULWARK_TRY_ASSIGN(auto lease, adb->readers.acquire());
    BULWARK_TRY_ASSIGN(auto body, load_body(lease.db(), blob_id));
    if (body) return std::move(*body);
  }
  return blobs_->get(blob_id);
}

Result<std::vector<std::uint32_t>> SqliteMailStore::search_candidates(const Principal& who, MailboxRef mailbox,
                                                                      std::string_view folded_text) {
  if (!search_indexer_) return fail(Errc::unavailable, "the search index is off");
  if (!is_servable_needle(folded_text)) return fail(Errc::unavailable, "text not served by the search index");
  // The mailbox's messages first (the access check), then the index; a blob indexed in between is simply
  // looked at the slow way.
  std::vector<std::pair<std::uint32_t, std::string>> messages;
  {
    BULWARK_TRY_ASSIGN(auto adb, account_db(mailbox.owner, who.account_id() == mailbox.owner));
    BULWARK_TRY_ASSIGN(auto lease, adb->readers.acquire());
    auto& db = lease.db();
    ReadTransaction read(db);
    BULWARK_TRY(read.begin());
    BULWARK_TRY(require(db, mailbox.owner, who, mailbox.id, Right::read));
    BULWARK_TRY_ASSIGN(auto stmt, db.prepare("SELECT uid, blob_id FROM message WHERE mailbox_id = ? ORDER BY uid"));
    stmt.bind(1, mailbox.id);
    for (;;) {
      BULWARK_TRY_ASSIGN(bool row, stmt.step());
      if (!row) break;
      messages.emplace_back(static_cast<std::uint32_t>(stmt.column_int(0)), stmt.column_text(1));
    }
  }
  auto index = SearchIndex::open_reader(search_indexer_->index_path(mailbox.owner),
                                        search_indexer_->options().max_text_bytes);
  if (!index) {
    if (index.error().code == Errc::not_found || index.error().code == Errc::temporary_failure) {
      search_indexer_->notify(mailbox.owner);
    } else {
      search_indexer_->forget(mailbox.owner);  // corrupt or unreadable: rebuilt from scratch
    }
    return fail(Errc::unavailable, "no usable search index: " + index.error().detail);
  }
  auto indexed = index->indexed_blobs();
  auto hits = index->matching_blobs(folded_text);
  if (!indexed || !hits) {
    const auto& error = indexed ? hits.error() : indexed.error();
    if (error.code != Errc::temporary_failure) search_indexer_->forget(mailbox.owner);
    return fail(Errc::unavailable, "search index unreadable");
  }
  std::vector<std::uint32_t> out;
  bool missing = false;
  for (const auto& [uid, blob_id] : messages) {
    const bool is_indexed = indexed->contains(blob_id);
    missing = missing || !is_indexed;
    if (!is_indexed || hits->contains(blob_id)) out.push_back(uid);
  }
  if (missing) search_indexer_->notify(mailbox.owner);
  return out;
}

}  // namespace bulwark::store::sqlite

#include "store/sqlite/sqlite_dav_store.h"

#include "store/sqlite/sqlite_db.h"

namespace bulwark::store::sqlite {

struct SqliteDavStore::AccountDb {
  AccountDb(AccountId owner, Database database) : id(owner), db(std::move(database)) {}
  AccountId id;
  std::mutex mutex;  // one writer per account
  Database db;
};

namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS collection(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind INTEGER NOT NULL,
  name TEXT NOT NULL,
  display_name TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  color TEXT NOT NULL DEFAULT '',
  components TEXT NOT NULL DEFAULT '',
  sync_seq INTEGER NOT NULL DEFAULT 1,
  UNIQUE(kind, name));
CREATE TABLE IF NOT EXISTS resource(
  collection_id INTEGER NOT NULL REFERENCES collection(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  uid TEXT NOT NULL,
  component TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  recurring INTEGER NOT NULL DEFAULT 0,
  modseq INTEGER NOT NULL,
  content BLOB NOT NULL,
  PRIMARY KEY(collection_id, name)) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS resource_uid ON resource(collection_id, uid);
CREATE INDEX IF NOT EXISTS resource_time ON resource(collection_id, start_time);
CREATE INDEX IF NOT EXISTS resource_modseq ON resource(collection_id, modseq);
CREATE TABLE IF NOT EXISTS tombstone(
  collection_id INTEGER NOT NULL REFERENCES collection(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  modseq INTEGER NOT NULL,
  PRIMARY KEY(collection_id, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS grant_(
  collection_id INTEGER NOT NULL REFERENCES collection(id) ON DELETE CASCADE,
  grantee INTEGER NOT NULL,
  can_read INTEGER NOT NULL,
  can_write INTEGER NOT NULL,
  PRIMARY KEY(collection_id, grantee)) WITHOUT ROWID;
)sql";

Error no_collection() { return Error{Errc::not_found, "no such collection"}; }
Error no_resource() { return Error{Errc::not_found, "no such resource"}; }
Error denied() { return Error{Errc::permission_denied, "permission denied"}; }

std::string make_etag(std::int64_t collection, std::uint64_t modseq) {
  return "\"" + std::to_string(collection) + "-" + std::to_string(modseq) + "\"";
}

Result<DavRights> rights_on(Database& db, AccountId owner, const Principal& who, std::int64_t collection) {
  if (who.account_id() == owner) return DavRights::all();
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare("SELECT can_read, can_write FROM grant_ WHERE collection_id = ? "
                                           "AND grantee = ?"));
  BULWARK_TRY_ASSIGN(bool row, stmt.bind(1, collection).bind(2, who.account_id()).step());
  if (!row) return DavRights{};
  return DavRights{stmt.column_int(0) != 0, stmt.column_int(1) != 0};
}

constexpr std::string_view kCollectionColumns =
    "SELECT id, kind, name, display_name, description, color, components, sync_seq FROM collection ";

CollectionInfo read_collection(const Statement& stmt, AccountId owner) {
  CollectionInfo info;
  info.ref = CollectionRef{owner, stmt.column_int(0)};
  info.kind = static_cast<CollectionKind>(stmt.column_int(1));
  info.name = stmt.column_text(2);
  info.display_name = stmt.column_text(3);
  info.description = stmt.column_text(4);
  info.color = stmt.column_text(5);
  info.components = stmt.column_text(6);
  info.sync_seq = static_cast<std::uint64_t>(stmt.column_int(7));
  return info;
}

// A collection the principal may read; not_found otherwise, so its existence does not leak.
Result<CollectionInfo> load_collection(Database& db, AccountId owner, const Principal& who, std::int64_t id) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare(std::string(kCollectionColumns) + "WHERE id = ?"));
  BULWARK_TRY_ASSIGN(bool row, stmt.bind(1, id).step());
  if (!row) return tl::unexpected(no_collection());
  auto info = read_collection(stmt, owner);
  BULWARK_TRY_ASSIGN(info.rights, rights_on(db, owner, who, id));
  if (!info.rights.read) return tl::unexpected(no_collection());
  return info;
}

Result<CollectionInfo> require_write(Database& db, AccountId owner, const Principal& who, std::int64_t id) {
  BULWARK_TRY_ASSIGN(auto info, load_collection(db, owner, who, id));
  if (!info.rights.write) return tl::unexpected(denied());
  return info;
}

Result<std::uint64_t> bump_seq(Database& db, std::int64_t collection) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare("UPDATE collection SET sync_seq = sync_seq + 1 WHERE id = ? "
                                           "RETURNING sync_seq"));
  BULWARK_TRY_ASSIGN(bool row, stmt.bind(1, collection).step());
  if (!row) return tl::unexpected(no_collection());
  return static_cast<std::uint64_t>(stmt.column_int(0));
}

std::string resource_columns(bool with_content) {
  return std::string("SELECT name, uid, component, start_time, end_time, recurring, modseq, ") +
         (with_content ? "content" : "''") + " FROM resource ";
}

ResourceInfo read_resource(const Statement& stmt, std::int64_t collection) {
  ResourceInfo info;
  info.name = stmt.column_text(0);
  info.uid = stmt.column_text(1);
  info.component = stmt.column_text(2);
  info.start = stmt.column_int(3);
  info.end = stmt.column_int(4);
  info.is_recurring = stmt.column_int(5) != 0;
  info.modseq = static_cast<std::uint64_t>(stmt.column_int(6));
  info.etag = make_etag(collection, info.modseq);
  info.content = stmt.column_text(7);
  return info;
}

Result<std::vector<ResourceInfo>> read_all(Statement& stmt, std::int64_t collection) {
  std::vector<ResourceInfo> out;
  for (;;) {
    BULWARK_TRY_ASSIGN(bool row, stmt.step());
    if (!row) break;
    out.push_back(read_resource(stmt, collection));
  }
  return out;
}

Result<std::optional<ResourceInfo>> find_resource(Database& db, std::int64_t collection, std::string_view name,
                                                  bool with_content) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare(resource_columns(with_content) + "WHERE collection_id = ? AND name = ?"));
  BULWARK_TRY_ASSIGN(bool row, stmt.bind(1, collection).bind(2, name).step());
  if (!row) return std::optional<ResourceInfo>();
  return std::optional<ResourceInfo>(read_resource(stmt, collection));
}

bool condition_holds(const std::optional<ResourceInfo>& current, const WriteCondition& condition) {
  if (condition.if_none_match_any && current) return false;
  if (condition.if_match) {
    if (!current) return false;
    if (*condition.if_match != "*" && *condition.if_match != current->etag) return false;
  }
  return true;
}

// Writes one resource into a collection whose write right was checked, inside the caller's transaction.
Result<PutResult> write_resource(Database& db, std::int64_t collection, const NewResource& resource,
                                 const WriteCondition& condition) {
  BULWARK_TRY_ASSIGN(auto current, find_resource(db, collection, resource.name, false));
  if (!condition_holds(current, condition)) return PutResult{WriteOutcome::precondition_failed, {}, {}};
  BULWARK_TRY_ASSIGN(auto same_uid, db.prepare("SELECT name FROM resource WHERE collection_id = ? AND uid = ? "
                                               "AND name <> ?"));
  BULWARK_TRY_ASSIGN(bool clash, same_uid.bind(1, collection).bind(2, resource.uid).bind(3, resource.name).step());
  if (clash) return PutResult{WriteOutcome::uid_conflict, {}, same_uid.column_text(0)};
  BULWARK_TRY_ASSIGN(auto seq, bump_seq(db, collection));
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare(
      "INSERT INTO resource(collection_id, name, uid, component, start_time, end_time, recurring, modseq, content) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(collection_id, name) DO UPDATE SET uid = excluded.uid, "
      "component = excluded.component, start_time = excluded.start_time, end_time = excluded.end_time, "
      "recurring = excluded.recurring, modseq = excluded.modseq, content = excluded.content"));
  BULWARK_TRY(stmt.bind(1, collection)
                  .bind(2, resource.name)
                  .bind(3, resource.uid)
                  .bind(4, resource.component)
                  .bind(5, resource.start)
                  .bind(6, resource.end)
                  .bind(7, resource.is_recurring ? 1 : 0)
                  .bind(8, static_cast<std::int64_t>(seq))
                  .bind_blob(9, resource.content)
                  .run());
  BULWARK_TRY_ASSIGN(auto untomb, db.prepare("DELETE FROM tombstone WHERE collection_id = ? AND name = ?"));
  BULWARK_TRY(untomb.bind(1, collection).bind(2, resource.name).run());
  return PutResult{current ? WriteOutcome::updated : WriteOutcome::created, make_etag(collection, seq), {}};
}

Status remove_resource(Database& db, std::int64_t collection, std::string_view name) {
  BULWARK_TRY_ASSIGN(auto seq, bump_seq(db, collection));
  BULWARK_TRY_ASSIGN(auto del, db.prepare("DELETE FROM resource WHERE collection_id = ? AND name = ?"));
  BULWARK_TRY(del.bind(1, collection).bind(2, name).run());
  BULWARK_TRY_ASSIGN(auto tomb, db.prepare("INSERT INTO tombstone(collection_id, name, modseq) VALUES(?, ?, ?) "
                                           "ON CONFLICT(collection_id, name) DO UPDATE SET modseq = excluded.modseq"));
  return tomb.bind(1, collection).bind(2, name).bind(3, static_cast<std::int64_t>(seq)).run();
}

// Inserts the collection row; already_exists when the name is taken. No rights check: callers did it.
Status insert_collection_row(Database& db, CollectionKind kind, std::string_view name, const CollectionProps& props) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare("INSERT INTO collection(kind, name, display_name, description, color, "
                                           "components) VALUES(?, ?, ?, ?, ?, ?)"));
  std::string components = props.components.value_or(kind == CollectionKind::calendar ? "VEVENT,VTODO" : "");
  auto status = stmt.bind(1, static_cast<std::int64_t>(kind))
                    .bind(2, name)
                    .bind(3, props.display_name.value_or(std::string(name)))
                    .bind(4, props.description.value_or(""))
                    .bind(5, props.color.value_or(""))
                    .bind(6, components)
                    .run();
  if (!status) {
    if (status.error().code == Errc::already_exists) return fail(Errc::already_exists, "collection exists");
    return tl::unexpected(status.error());
  }
  return ok();
}

Result<CollectionInfo> insert_collection(Database& db, AccountId owner, const Principal& who, CollectionKind kind,
                                         std::string_view name, const CollectionProps& props) {
  BULWARK_TRY(insert_collection_row(db, kind, name, props));
  return load_collection(db, owner, who, db.last_insert_rowid());
}

Status provision_defaults(Database& db) {
  Database::Transaction txn(db);
  BULWARK_TRY(txn.begin());
  BULWARK_TRY_ASSIGN(auto count, db.prepare("SELECT count(*) FROM collection"));
  BULWARK_TRY_ASSIGN(bool row, count.step());
  if (row && count.column_int(0) > 0) return ok();
  CollectionProps calendar;
  calendar.display_name = "Calendar";
  BULWARK_TRY(insert_collection_row(db, CollectionKind::calendar, kDefaultCalendar, calendar));
  CollectionProps contacts;
  contacts.display_name = "Contacts";
  BULWARK_TRY(insert_collection_row(db, CollectionKind::addressbook, kDefaultAddressBook, contacts));
  return txn.commit();
}

// Every account has a schedule inbox (RFC 6638 2.2), also those provisioned before scheduling existed.
Status ensure_schedule_inbox(Database& db) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare("INSERT OR IGNORE INTO collection(kind, name, display_name, components) "
                                           "VALUES(?, ?, 'Scheduling inbox', 'VEVENT,VTODO,VJOURNAL,VFREEBUSY')"));
  return stmt.bind(1, static_cast<std::int64_t>(CollectionKind::calendar)).bind(2, kScheduleInbox).run();
}

}  // namespace

SqliteDavStore::SqliteDavStore(std::filesystem::path data_dir) : data_dir_(std::move(data_dir)) {}
SqliteDavStore::~SqliteDavStore() = default;

Result<std::shared_ptr<SqliteDavStore::AccountDb>> SqliteDavStore::account_db(const Principal& who, AccountId owner) {
  return open_account(owner, who.account_id() == owner);
}

Result<std::shared_ptr<SqliteDavStore::AccountDb>> SqliteDavStore::open_account(AccountId owner, bool own) {
  std::lock_guard lock(pool_mutex_);
  if (auto it = pool_.find(owner); it != pool_.end()) return it->second;
  auto dir = data_dir_ / "accounts" / std::to_string(owner);
  auto path = dir / "dav.db";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (!own) return tl::unexpected(no_collection());
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail(Errc::temporary_failure, "cannot create " + dir.string() + ": " + ec.message());
  }
  BULWARK_TRY_ASSIGN(auto db, Database::open(path));
  BULWARK_TRY(db.exec("PRAGMA foreign_keys = ON"));
  BULWARK_TRY(db.exec(kSchema));
  if (own) BULWARK_TRY(provision_defaults(db));
  BULWARK_TRY(ensure_schedule_inbox(db));
  auto account = std::make_shared<AccountDb>(owner, std::move(db));
  pool_.emplace(owner, account);
  return account;
}

Status SqliteDavStore::provision(const Principal& who) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(who, who.account_id()));
  std::lock_guard lock(adb->mutex);
  BULWARK_TRY(provision_defaults(adb->db));
  return ensure_schedule_inbox(adb->db);
}

Result<std::vector<CollectionInfo>> SqliteDavStore::list_collections(const Principal& who, AccountId owner,
                                                                     CollectionKind kind) {
  auto adb_result = account_db(who, owner);
  if (!adb_result) {
    if (adb_result.error().code == Errc::not_found) return std::vector<CollectionInfo>{};
    return tl::unexpected(adb_result.error());
  }
  auto adb = *adb_result;
  std::lock_guard lock(adb->mutex);
  // The schedule inbox is reached by its name (schedule-inbox-URL), not listed among the calendars.
  BULWARK_TRY_ASSIGN(auto stmt, adb->db.prepare(std::string(kCollectionColumns) +
                                                "WHERE kind = ? AND NOT (kind = ? AND name = ?) ORDER BY name"));
  stmt.bind(1, static_cast<std::int64_t>(kind)).bind(2, static_cast<std::int64_t>(CollectionKind::calendar));
  stmt.bind(3, kScheduleInbox);
  std::vector<CollectionInfo> out;
  for (;;) {
    BULWARK_TRY_ASSIGN(bool row, stmt.step());
    if (!row) break;
    out.push_back(read_collection(stmt, owner));
  }
  std::vector<CollectionInfo> visible;
  for (auto& info : out) {
    BULWARK_TRY_ASSIGN(info.rights, rights_on(adb->db, owner, who, info.ref.id));
    if (info.rights.read) visible.push_back(std::move(info));
  }
  return visible;
}

Result<CollectionInfo> SqliteDavStore::find_collection(const Principal& who, AccountId owner, CollectionKind kind,
                                                       std::string_view name) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(who, owner));
  std::lock_guard lock(adb->mutex);
  BULWARK_TRY_ASSIGN(auto stmt, adb->db.prepare("SELECT id FROM collection WHERE kind = ? AND name = ?"));
  BULWARK_TRY_ASSIGN(bool row, stmt.bind(1, static_cast<std::int64_t>(kind)).bind(2, name).step());
  if (!row) return tl::unexpected(no_collection());
  return load_collection(adb->db, owner, who, stmt.column_int(0));
}

Result<CollectionInfo> SqliteDavStore::create_collection(const Principal& who, AccountId owner, CollectionKind kind,
                                                         std::string_view name, const CollectionProps& props) {
  if (who.account_id() != owner) return tl::unexpected(denied());
  BULWARK_TRY_ASSIGN(auto adb, account_db(who, owner));
  std::lock_guard lock(adb->mutex);
  return insert_collection(adb->db, owner, who, kind, name, props);
}

Status SqliteDavStore::update_collection(const Principal& who, CollectionRef ref, const CollectionProps& props) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(who, ref.owner));
  std::lock_guard lock(adb->mutex);
  Database::Transaction txn(adb->db);
  BULWARK_TRY(txn.begin());
  BULWARK_TRY(require_write(adb->db, ref.owner, who, ref.id));
  auto set = [&](const char* column, const std::optional<std::string>& value) -> Status {
    if (!value) return ok();
    BULWARK_TRY_ASSIGN(auto stmt, adb->db.prepare(std::string("UPDATE collection SET ") + column + " = ? WHERE id = ?"));
    return stmt.bind(1, *value).bind(2, ref.id).run();
  };
  BULWARK_TRY(set("display_name", props.display_name));
  BULWARK_TRY(set("description", props.description));
  BULWARK_TRY(set("color", props.color));
  BULWARK_TRY(set("components", props.components));
  return txn.commit();
}

Status SqliteDavStore::delete_collection(const Principal& who, CollectionRef ref) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(who, ref.owner));
  std::lock_guard lock(adb->mutex);
  BULWARK_TRY(load_collection(adb->db, ref.owner, who, ref.id));
  if (who.account_id() != ref.owner) return tl::unexpected(denied());
  BULWARK_TRY_ASSIGN(auto stmt, adb->db.prepare("DELETE FROM collection WHERE id = ?"));
  return stmt.bind(1, ref.id).run();
}

Status SqliteDavStore::set_rights(const Principal& who, CollectionRef ref, AccountId grantee, DavRights rights) {
  if (who.account_id() != ref.owner) return tl::unexpected(denied());
  BULWARK_TRY_ASSIGN(auto adb, account_db(who, ref.owner));
  std::lock_guard lock(adb->mutex);
  BULWARK_TRY(load_collection(adb->db, ref.owner, who, ref.id));
  if (!rights.read && !rights.write) {
    BULWARK_TRY_ASSIGN(auto del, adb->db.prepare("DELETE FROM grant_ WHERE collection_id = ? AND grantee = ?"));
    return del.bind(1, ref.id).bind(2, grantee).run();
  }
  BULWARK_TRY_ASSIGN(auto stmt, adb->db.prepare(
      "INSERT INTO grant_(collection_id, grantee, can_read, can_write) VALUES(?, ?, ?, ?) "
      "ON CONFLICT(collection_id, grantee) DO UPDATE SET can_read = excluded.can_read, can_write = excluded.can_write"));
  // Writing without reading makes no sense for a calendar client: write implies read.
  return stmt.bind(1, ref.id).bind(2, grantee).bind(3, 1).bind(4, rights.write ? 1 : 0).run();
}

Result<std::vector<ResourceInfo>> SqliteDavStore::list_resources(const Principal& who, CollectionRef ref,
                                                                 bool with_content) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(who, ref.owner));
  std::lock_guard lock(adb->mutex);
  BULWARK_TRY(load_collection(adb->db, ref.owner, who, ref.id));
  BULWARK_TRY_ASSIGN(auto stmt, adb->db.prepare(resource_columns(with_content) + "WHERE collection_id = ? ORDER BY name"));
  stmt.bind(1, ref.id);
  return read_all(stmt, ref.id);
}

Result<std::vector<ResourceInfo>> SqliteDavStore::resources_overlapping(const Principal& who, CollectionRef ref,
                                                                        std::string_view component,
                                                                        std::int64_t start, std::int64_t end,
                                                                        bool with_content) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(who, ref.owner));
  std::lock_guard lock(adb->mutex);
  BULWARK_TRY(load_collection(adb->db, ref.owner, who, ref.id));
  BULWARK_TRY_ASSIGN(auto stmt, adb->db.prepare(resource_columns(with_content) +
                                                "WHERE collection_id = ? AND (? = '' OR component = ?) "
                                                "AND start_time < ? AND end_time > ? ORDER BY name"));
  stmt.bind(1, ref.id).bind(2, component).bind(3, component).bind(4, end).bind(5, start);
  return read_all(stmt, ref.id);
}

Result<std::vector<ResourceInfo>> SqliteDavStore::get_resources(const Principal& who, CollectionRef ref,
                                                                const std::vector<std::string>& names,
                                                                bool with_content) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(who, ref.owner));
  std::lock_guard lock(adb->mutex);
  BULWARK_TRY(load_collection(adb->db, ref.owner, who, ref.id));
  std::vector<ResourceInfo> out;
  for (const auto& name : names) {
    BULWARK_TRY_ASSIGN(auto found, find_resource(adb->db, ref.id, name, with_content));
    if (found) out.push_back(std::move(*found));
  }
  return out;
}

Result<ResourceInfo> SqliteDavStore::get_resource(const Principal& who, CollectionRef ref, std::string_view name) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(who, ref.owner));
  std::lock_guard lock(adb->mutex);
  BULWARK_TRY(load_collection(adb->db, ref.owner, who, ref.id));
  BULWARK_TRY_ASSIGN(auto found, find_resource(adb->db, ref.id, name, true));
  if (!found) return tl::unexpected(no_resource());
  return std::move(*found);
}

Result<SyncChanges> SqliteDavStore::changes_since(const Principal& who, CollectionRef ref, std::uint64_t since) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(who, ref.owner));
  std::lock_guard lock(adb->mutex);
  BULWARK_TRY_ASSIGN(auto info, load_collection(adb->db, ref.owner, who, ref.id));
  if (since > info.sync_seq) return fail(Errc::invalid_argument, "sync token from the future");
  SyncChanges out;
  out.sync_seq = info.sync_seq;
  BULWARK_TRY_ASSIGN(auto stmt, adb->db.prepare(resource_columns(false) +
                                                "WHERE collection_id = ? AND modseq > ? ORDER BY modseq"));
  stmt.bind(1, ref.id).bind(2, static_cast<std::int64_t>(since));
  BULWARK_TRY_ASSIGN(out.changed, read_all(stmt, ref.id));
  if (since > 0) {
    BULWARK_TRY_ASSIGN(auto tomb, adb->db.prepare("SELECT name FROM tombstone WHERE collection_id = ? AND modseq > ? "
                                                  "ORDER BY modseq"));
    tomb.bind(1, ref.id).bind(2, static_cast<std::int64_t>(since));
    for (;;) {
      BULWARK_TRY_ASSIGN(bool row, tomb.step());
      if (!row) break;
      out.removed.push_back(tomb.column_text(0));
    }
  }
  return out;
}

Result<PutResult> SqliteDavStore::put_resource(const Principal& who, CollectionRef ref, const NewResource& resource,
                                               const WriteCondition& condition) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(who, ref.owner));
  std::lock_guard lock(adb->mutex);
  Database::Transaction txn(adb->db);
  BULWARK_TRY(txn.begin());
  BULWARK_TRY(require_write(adb->db, ref.owner, who, ref.id));
  BULWARK_TRY_ASSIGN(auto result, write_resource(adb->db, ref.id, resource, condition));
  if (result.outcome == WriteOutcome::created || result.outcome == WriteOutcome::updated) BULWARK_TRY(txn.commit());
  return result;
}

Result<WriteOutcome> SqliteDavStore::delete_resource(const Principal& who, CollectionRef ref, std::string_view name,
                                                     const WriteCondition& condition) {
  BULWARK_TRY_ASSIGN(auto adb, account_db(who, ref.owner));
  std::lock_guard lock(adb->mutex);
  Database::Transaction txn(adb->db);
  BULWARK_TRY(txn.begin());
  BULWARK_TRY(require_write(adb->db, ref.owner, who, ref.id));
  BULWARK_TRY_ASSIGN(auto current, find_resource(adb->db, ref.id, name, false));
  if (!current) return tl::unexpected(no_resource());
  if (!condition_holds(current, condition)) return WriteOutcome::precondition_failed;
  BULWARK_TRY(remove_resource(adb->db, ref.id, name));
  BULWARK_TRY(txn.commit());
  return WriteOutcome::updated;
}

Result<PutResult> SqliteDavStore::move_resource(const Principal& who, CollectionRef from, std::string_view name,
                                                CollectionRef to, std::string_view new_name, bool overwrite) {
  // Both collections live in one account database; moving between accounts is refused (copy, then delete).
  if (from.owner != to.owner) return tl::unexpected(denied());
  BULWARK_TRY_ASSIGN(auto adb, account_db(who, from.owner));
  std::lock_guard lock(adb->mutex);
  Database::Transaction txn(adb->db);
  BULWARK_TRY(txn.begin());
  BULWARK_TRY_ASSIGN(auto source, require_write(adb->db, from.owner, who, from.id));
  BULWARK_TRY_ASSIGN(auto target, require_write(adb->db, to.owner, who, to.id));
  if (source.kind != target.kind) return fail(Errc::invalid_argument, "cannot move between kinds of collection");
  BULWARK_TRY_ASSIGN(auto current, find_resource(adb->db, from.id, name, true));
  if (!current) return tl::unexpected(no_resource());
  if (from.id == to.id && name == new_name) return PutResult{WriteOutcome::precondition_failed, {}, {}};
  NewResource moved{std::string(new_name), current->uid, current->component, current->content, current->start,
                    current->end, current->is_recurring};
  WriteCondition condition;
  condition.if_none_match_any = !overwrite;
  BULWARK_TRY(remove_resource(adb->db, from.id, name));
  BULWARK_TRY_ASSIGN(auto result, write_resource(adb->db, to.id, moved, condition));
  if (result.outcome == WriteOutcome::created || result.outcome == WriteOutcome::updated) BULWARK_TRY(txn.commit());
  return result;
}

namespace {

// Where a scheduling message's UID lives among the account's calendars (the inbox excluded): collection and name.
Result<std::optional<std::pair<std::int64_t, ResourceInfo>>> find_scheduled_object(Database& db, std::string_view uid) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare("SELECT r.collection_id, r.name FROM resource r JOIN collection c ON "
                                           "c.id = r.collection_id WHERE c.kind = ? AND c.name <> ? AND r.uid = ? "
                                           "ORDER BY c.name = ? DESC, c.id LIMIT 1"));
  stmt.bind(1, static_cast<std::int64_t>(CollectionKind::calendar)).bind(2, kScheduleInbox).bind(3, uid);
  stmt.bind(4, kDefaultCalendar);
  BULWARK_TRY_ASSIGN(bool row, stmt.step());
  using Found = std::optional<std::pair<std::int64_t, ResourceInfo>>;
  if (!row) return Found();
  const std::int64_t collection = stmt.column_int(0);
  const std::string name = stmt.column_text(1);
  BULWARK_TRY_ASSIGN(auto resource, find_resource(db, collection, name, true));
  if (!resource) return Found();
  return Found(std::make_pair(collection, std::move(*resource)));
}

// RFC 6638 9.2 schedule-default-calendar-URL: "default", else the first other calendar; nullopt when none.
Result<std::optional<std::int64_t>> default_calendar_id(Database& db) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare("SELECT id FROM collection WHERE kind = ? AND name <> ? "
                                           "ORDER BY name = ? DESC, id LIMIT 1"));
  stmt.bind(1, static_cast<std::int64_t>(CollectionKind::calendar)).bind(2, kScheduleInbox).bind(3, kDefaultCalendar);
  BULWARK_TRY_ASSIGN(bool row, stmt.step());
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(stmt.column_int(0));
}

Result<std::int64_t> inbox_id(Database& db) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare("SELECT id FROM collection WHERE kind = ? AND name = ?"));
  BULWARK_TRY_ASSIGN(bool row,
                     stmt.bind(1, static_cast<std::int64_t>(CollectionKind::calendar)).bind(2, kScheduleInbox).step());
  if (!row) return fail(Errc::internal, "no schedule inbox");
  return stmt.column_int(0);
}

}  // namespace

Result<SchedulingOutcome> SqliteDavStore::deliver_scheduling_message(const DeliveryTarget& target,
                                                                     const SchedulingMessage& message) {
  // The DeliveryTarget is the capability: the directory issued it for this account when it resolved the
  // recipient address. It may create the account's DAV storage like the owner's first access would.
  BULWARK_TRY_ASSIGN(auto adb, open_account(target.account_id(), true));
  std::lock_guard lock(adb->mutex);
  Database::Transaction txn(adb->db);
  BULWARK_TRY(txn.begin());
  BULWARK_TRY_ASSIGN(auto inbox, inbox_id(adb->db));
  BULWARK_TRY_ASSIGN(auto stored, write_resource(adb->db, inbox, message.inbox_item, WriteCondition{}));
  if (stored.outcome != WriteOutcome::created && stored.outcome != WriteOutcome::updated) {
    return fail(Errc::already_exists, "the schedule inbox already has this message");
  }
  SchedulingOutcome outcome;
  if (message.apply) {
    BULWARK_TRY_ASSIGN(auto found, find_scheduled_object(adb->db, message.uid));
    std::optional<ResourceInfo> current;
    if (found) current = found->second;
    BULWARK_TRY_ASSIGN(auto change, message.apply(current));
    if (change.action == CalendarChange::Action::remove && found) {
      BULWARK_TRY(remove_resource(adb->db, found->first, found->second.name));
      outcome.calendar_changed = true;
    } else if (change.action == CalendarChange::Action::put) {
      std::optional<std::int64_t> collection;
      if (found) {
        collection = found->first;
        change.resource.name = found->second.name;
      } else {
        BULWARK_TRY_ASSIGN(collection, default_calendar_id(adb->db));
      }
      if (collection) {
        BULWARK_TRY_ASSIGN(auto written, write_resource(adb->db, *collection, change.resource, WriteCondition{}));
        outcome.calendar_changed =
            written.outcome == WriteOutcome::created || written.outcome == WriteOutcome::updated;
      }
    }
  }
  BULWARK_TRY(txn.commit());
  return outcome;
}

Result<BusyPeriods> SqliteDavStore::free_busy(const Principal& who, AccountId owner, std::int64_t start,
                                              std::int64_t end, const BusyReducer& reduce) {
  (void)who;  // every authenticated principal may ask (dav_store.h); only periods leave this function
  auto adb_result = open_account(owner, false);
  if (!adb_result) {
    if (adb_result.error().code == Errc::not_found) return BusyPeriods{};  // never used its calendars: free
    return tl::unexpected(adb_result.error());
  }
  auto adb = *adb_result;
  std::lock_guard lock(adb->mutex);
  BULWARK_TRY_ASSIGN(auto stmt, adb->db.prepare("SELECT r.content FROM resource r JOIN collection c ON "
                                                "c.id = r.collection_id WHERE c.kind = ? AND c.name <> ? AND "
                                                "r.component = 'VEVENT' AND r.start_time < ? AND r.end_time > ?"));
  stmt.bind(1, static_cast<std::int64_t>(CollectionKind::calendar)).bind(2, kScheduleInbox).bind(3, end).bind(4, start);
  BusyPeriods out;
  for (;;) {
    BULWARK_TRY_ASSIGN(bool row, stmt.step());
    if (!row) break;
    auto periods = reduce(stmt.column_text(0));
    out.insert(out.end(), periods.begin(), periods.end());
  }
  return out;
}

}  // namespace bulwark::store::sqlite

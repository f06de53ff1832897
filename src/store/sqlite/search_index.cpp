#include "store/sqlite/search_index.h"

#include <algorithm>
#include <optional>

namespace bulwark::store::sqlite {
namespace {

constexpr std::int64_t kFormat = 1;

// doc.id is the FTS rowid. meta: format, max_text_bytes (the limit the text was cut at), fts_rows (rows ever
// added to the contentless FTS table, to count garbage).
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS doc(id INTEGER PRIMARY KEY, blob_id TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
  body, tokenize = 'trigram case_sensitive 1', detail = none, content = '', columnsize = 0);
)sql";

// Length of the UTF-8 sequence starting with `lead`, 0 when it cannot start one.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 0;
}

// The length of a structurally valid sequence at `i` (lead byte plus the right number of continuation bytes),
// or 0.
std::size_t valid_sequence_at(std::string_view text, std::size_t i) {
  const auto n = sequence_length(static_cast<unsigned char>(text[i]));
  if (n == 0 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

Result<std::optional<std::int64_t>> meta_value(Database& db, std::string_view key) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare("SELECT value FROM meta WHERE key = ?"));
  BULWARK_TRY_ASSIGN(bool row, stmt.bind(1, key).step());
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(stmt.column_int(0));
}

Status set_meta(Database& db, std::string_view key, std::int64_t value) {
  BULWARK_TRY_ASSIGN(auto stmt, db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)"));
  return stmt.bind(1, key).bind(2, value).run();
}

// The file's format and limit are ours; false: built by another version or with another limit.
Result<bool> is_compatible(Database& db, std::uint64_t max_text_bytes) {
  BULWARK_TRY_ASSIGN(auto format, meta_value(db, "format"));
  BULWARK_TRY_ASSIGN(auto limit, meta_value(db, "max_text_bytes"));
  return format && *format == kFormat && limit && *limit == static_cast<std::int64_t>(max_text_bytes);
}

Result<Database> create_or_check(const std::filesystem::path& path, std::uint64_t max_text_bytes) {
  BULWARK_TRY_ASSIGN(auto db, Database::open(path));
  // Derived data: a crash may lose or corrupt it, and it is rebuilt then; no fsync on the indexer's commits.
  BULWARK_TRY(db.exec("PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;"));
  Database::Transaction txn(db);
  BULWARK_TRY(txn.begin());
  BULWARK_TRY(db.exec(kSchema));
  BULWARK_TRY_ASSIGN(auto format, meta_value(db, "format"));
  if (!format) {
    BULWARK_TRY(set_meta(db, "format", kFormat));
    BULWARK_TRY(set_meta(db, "max_text_bytes", static_cast<std::int64_t>(max_text_bytes)));
    BULWARK_TRY(set_meta(db, "fts_rows", 0));
  }
  BULWARK_TRY_ASSIGN(bool compatible, is_compatible(db, max_text_bytes));
  if (!compatible) return fail(Errc::invalid_syntax, "search index of another format or limit");
  BULWARK_TRY(txn.commit());
  return db;
}

}  // namespace

std::string sanitize_for_index(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto n = valid_sequence_at(text, i);
    if (n == 0 || text[i] == '\0') {
      out.push_back(' ');
      ++i;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

bool is_servable_needle(std::string_view folded_needle) {
  std::size_t code_points = 0;
  for (std::size_t i = 0; i < folded_needle.size();) {
    const auto n = valid_sequence_at(folded_needle, i);
    if (n == 0 || folded_needle[i] == '\0') return false;
    i += n;
    ++code_points;
  }
  return code_points >= 3;
}

std::string trigram_query(std::string_view folded_needle) {
  std::vector<std::size_t> starts;  // byte offset of each code point
  for (std::size_t i = 0; i < folded_needle.size();) {
    starts.push_back(i);
    i += std::max<std::size_t>(1, valid_sequence_at(folded_needle, i));
  }
  starts.push_back(folded_needle.size());
  std::vector<std::string_view> trigrams;
  for (std::size_t k = 0; k + 3 < starts.size() && trigrams.size() < kMaxQueryTrigrams; ++k) {
    auto gram = folded_needle.substr(starts[k], starts[k + 3] - starts[k]);
    if (std::find(trigrams.begin(), trigrams.end(), gram) == trigrams.end()) trigrams.push_back(gram);
  }
  std::string query;
  for (auto gram : trigrams) {
    if (!query.empty()) query += " AND ";
    query += '"';
    for (char c : gram) {
      if (c == '"') query += '"';  // FTS5 string: a double quote is doubled
      query += c;
    }
    query += '"';
  }
  return query;
}

Result<SearchIndex> SearchIndex::open_writer(const std::filesystem::path& path, std::uint64_t max_text_bytes) {
  {
    auto db = create_or_check(path, max_text_bytes);
    if (db) return SearchIndex(std::move(*db));
    if (db.error().code == Errc::temporary_failure) return tl::unexpected(db.error());
  }
  remove_files(path);  // corrupt, not a database, or another format/limit: start over
  BULWARK_TRY_ASSIGN(auto db, create_or_check(path, max_text_bytes));
  return SearchIndex(std::move(db));
}

Result<SearchIndex> SearchIndex::open_reader(const std::filesystem::path& path, std::uint64_t max_text_bytes) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return fail(Errc::not_found, "no search index yet");
  BULWARK_TRY_ASSIGN(auto db, Database::open_reader(path));
  auto compatible = is_compatible(db, max_text_bytes);
  if (!compatible) return tl::unexpected(compatible.error());
  if (!*compatible) return fail(Errc::not_found, "search index of another format or limit");
  return SearchIndex(std::move(db));
}

void SearchIndex::remove_files(const std::filesystem::path& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path.string() + suffix, ec);
  }
}

namespace {
// The first column of every row the statement returns.
Result<std::unordered_set<std::string>> first_column_set(Statement& stmt) {
  std::unordered_set<std::string> out;
  for (;;) {
    BULWARK_TRY_ASSIGN(bool row, stmt.step());
    if (!row) break;
    out.insert(stmt.column_text(0));
  }
  return out;
}
}  // namespace

Result<std::unordered_set<std::string>> SearchIndex::indexed_blobs() {
  BULWARK_TRY_ASSIGN(auto stmt, db_.prepare("SELECT blob_id FROM doc"));
  return first_column_set(stmt);
}

Result<bool> SearchIndex::has(const std::string& blob_id) {
  BULWARK_TRY_ASSIGN(auto stmt, db_.prepare("SELECT 1 FROM doc WHERE blob_id = ?"));
  return stmt.bind(1, blob_id).step();
}

Result<std::unordered_set<std::string>> SearchIndex::matching_blobs(std::string_view folded_needle) {
  if (!is_servable_needle(folded_needle)) return fail(Errc::unavailable, "needle not served by the index");
  BULWARK_TRY_ASSIGN(auto stmt,
                     db_.prepare("SELECT doc.blob_id FROM fts JOIN doc ON doc.id = fts.rowid WHERE fts MATCH ?"));
  stmt.bind(1, trigram_query(folded_needle));
  return first_column_set(stmt);
}

Status SearchIndex::add(const std::vector<std::pair<std::string, std::string>>& docs) {
  Database::Transaction txn(db_);
  BULWARK_TRY(txn.begin());
  std::int64_t added = 0;
  for (const auto& [blob_id, text] : docs) {
    BULWARK_TRY_ASSIGN(auto insert_doc, db_.prepare("INSERT OR IGNORE INTO doc(blob_id) VALUES(?)"));
    BULWARK_TRY(insert_doc.bind(1, blob_id).run());
    if (db_.changes() == 0) continue;  // already indexed
    const auto id = db_.last_insert_rowid();
    const auto clean = sanitize_for_index(text);
    BULWARK_TRY_ASSIGN(auto insert_text, db_.prepare("INSERT INTO fts(rowid, body) VALUES(?, ?)"));
    BULWARK_TRY(insert_text.bind(1, id).bind(2, clean).run());
    ++added;
  }
  BULWARK_TRY(db_.exec("UPDATE meta SET value = value + " + std::to_string(added) + " WHERE key = 'fts_rows'"));
  return txn.commit();
}

Status SearchIndex::remove(const std::vector<std::string>& blob_ids) {
  Database::Transaction txn(db_);
  BULWARK_TRY(txn.begin());
  for (const auto& blob_id : blob_ids) {
    BULWARK_TRY_ASSIGN(auto stmt, db_.prepare("DELETE FROM doc WHERE blob_id = ?"));
    BULWARK_TRY(stmt.bind(1, blob_id).run());
  }
  return txn.commit();
}

Result<std::int64_t> SearchIndex::document_count() {
  BULWARK_TRY_ASSIGN(auto stmt, db_.prepare("SELECT count(*) FROM doc"));
  BULWARK_TRY(stmt.step());
  return stmt.column_int(0);
}

Result<std::int64_t> SearchIndex::garbage() {
  BULWARK_TRY_ASSIGN(auto rows, meta_value(db_, "fts_rows"));
  BULWARK_TRY_ASSIGN(auto docs, document_count());
  return std::max<std::int64_t>(0, rows.value_or(0) - docs);
}

}  // namespace bulwark::store::sqlite

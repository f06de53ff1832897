// One account's search index (data_dir/accounts/<id>/search.db): a candidate PREFILTER for IMAP SEARCH BODY and
// TEXT, never the answer. docs/search-index.md has the design and the measurements behind it.
//
// What it holds: per message body (keyed by its content-addressed blob id, so COPY and MOVE share one entry and
// an entry is never stale: a blob id always names the same bytes) the already case-folded searchable text that
// the IMAP matcher looks at (header text, then body text, as produced by the injected SearchTextFn), in an FTS5
// table with the `trigram` tokenizer (case_sensitive 1: the text is folded already; detail=none: the smallest
// index; contentless: the text itself is not kept).
//
// Contract: matching_blobs(needle) returns a SUPERSET of the indexed blobs whose text contains `needle` as a
// byte substring (needle and text folded the same way). Why that holds: invalid UTF-8 in the text is replaced
// by spaces before indexing (sanitize_for_index), and a needle is served only when it is valid UTF-8 of at least
// 3 code points without NUL; such a needle's code points then sit at code point boundaries of the sanitized
// text, so every trigram of the needle is a trigram of the text. detail=none cannot answer phrase queries, so
// the query is the AND of the needle's trigrams: false positives are possible (the caller verifies every
// candidate), false negatives are not. Messages whose blob is not in indexed_blobs() must be checked the slow
// way by the caller.
//
// Derived data: synchronous=OFF, rebuilt (deleted and created again) when missing, corrupt, of another format,
// or built with another max_text_bytes. Contentless FTS5 (SQLite 3.40) cannot delete rows, so removing a blob
// only drops its `doc` row (its FTS rows become unreachable garbage); garbage() tells the indexer when a rebuild
// is worth it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/result.h"
#include "store/sqlite/sqlite_db.h"

namespace bulwark::store::sqlite {

// Invalid UTF-8 bytes and NUL become spaces (see the contract above); valid sequences are kept as they are.
[[nodiscard]] std::string sanitize_for_index(std::string_view text);
// Whether the index can answer a query for this (folded) needle; otherwise the caller scans.
[[nodiscard]] bool is_servable_needle(std::string_view folded_needle);
// The FTS5 MATCH expression for a servable needle: its distinct trigrams, quoted, joined by AND (at most
// kMaxQueryTrigrams of them: fewer terms still give a superset).
[[nodiscard]] std::string trigram_query(std::string_view folded_needle);
inline constexpr std::size_t kMaxQueryTrigrams = 32;

class SearchIndex {
 public:
  // The writer (the background indexer): creates the file; a corrupt or mismatched file is deleted and created
  // again (it is derived data).
  [[nodiscard]] static Result<SearchIndex> open_writer(const std::filesystem::path& path, std::uint64_t max_text_bytes);
  // A reader (one SEARCH): not_found when there is no usable index (missing, other format or limit).
  [[nodiscard]] static Result<SearchIndex> open_reader(const std::filesystem::path& path, std::uint64_t max_text_bytes);
  // Deletes the index files (the next open_writer builds from scratch).
  static void remove_files(const std::filesystem::path& path);

  [[nodiscard]] Result<std::unordered_set<std::string>> indexed_blobs();
  [[nodiscard]] Result<bool> has(const std::string& blob_id);
  // Blob ids that may contain `folded_needle` (a superset, see above). The needle must be servable.
  [[nodiscard]] Result<std::unordered_set<std::string>> matching_blobs(std::string_view folded_needle);
  // (blob id, folded searchable text) pairs, in one transaction. Already indexed blob ids are skipped.
  [[nodiscard]] Status add(const std::vector<std::pair<std::string, std::string>>& docs);
  // Forgets these blob ids (their FTS rows stay as garbage).
  [[nodiscard]] Status remove(const std::vector<std::string>& blob_ids);
  // FTS rows no `doc` row points to any more.
  [[nodiscard]] Result<std::int64_t> garbage();
  [[nodiscard]] Result<std::int64_t> document_count();

 private:
  explicit SearchIndex(Database db) : db_(std::move(db)) {}
  Database db_;
};

}  // namespace bulwark::store::sqlite

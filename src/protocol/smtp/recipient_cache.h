// RCPT answers kept while the directory is unchanged, so that RCPT to a known recipient needs no trip to the
// blocking pool (at one session, that trip, a wake-up of a pool thread and then of the I/O thread, was a tenth
// of a message's time; docs/benchmarks.md, SMTP run 9).
//
// Correctness rests on DirectoryStore::change_stamp(): any change to domains, accounts or aliases, by the
// server or by the admin CLI in another process, changes the stamp, and a lookup under a new stamp empties the
// cache first. An answer is stored under the stamp read *before* it was computed, so an answer that raced a
// change is dropped at its next use rather than served. Answers that depend on more than the directory (a
// recipient with a quota: whether the mailbox is full) are never stored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "store/directory_store.h"

namespace bulwark::protocol::smtp {

class RecipientCache {
 public:
  struct Answer {
    bool is_local = false;                        // false: another domain (relaying)
    std::optional<store::Resolution> resolution;  // local domain: nullopt is "no such user" (550 5.1.1)
  };

  explicit RecipientCache(std::size_t capacity = 10000) : capacity_(capacity) {}

  // The answer for `address` if one was stored under `stamp`. Callable from any thread; never waits for I/O.
  std::optional<Answer> find(std::uint64_t stamp, const std::string& address);
  // Keeps `answer`, computed after `stamp` was read. Ignored when the cache already saw a newer stamp, or when
  // the answer must not be cached (a local target with a quota). Full: starts again empty (a dictionary
  // attack's misses must not grow memory).
  void store(std::uint64_t stamp, const std::string& address, const Answer& answer);
  static bool cacheable(const Answer& answer);

 private:
  void advance_locked(std::uint64_t stamp);

  std::mutex mutex_;
  std::uint64_t stamp_ = 0;
  bool has_stamp_ = false;
  std::size_t capacity_;
  std::unordered_map<std::string, Answer> answers_;
};

}  // namespace bulwark::protocol::smtp

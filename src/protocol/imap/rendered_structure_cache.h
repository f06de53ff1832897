// ENVELOPE, BODY and BODYSTRUCTURE (RFC 9051 7.5.2) as sent, rendered once per message content and kept for the
// next FETCH of them. The MIME structure is cached at delivery, but turning it into these strings (decoding it
// into a Part tree, quoting every string) cost more per message than everything else a repeated
// `UID FETCH 1:* (FLAGS ENVELOPE BODYSTRUCTURE)` does; clients ask for exactly that on every open.
//
// Contract: entries are keyed by the message's content id (the blob id, a SHA-256 of the bytes), so equal
// content shares one entry and an entry never goes stale (a message's bytes never change). get() returns the
// cached strings or renders them with `render` (outside the lock) and keeps them, evicting the least recently used
// entries so that at most `max_bytes` are kept (`[limits] imap_fetch_cache_size`; 0 keeps nothing).
#pragma once

#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace bulwark::protocol::imap {

struct RenderedStructure {
  std::string envelope;       // the parenthesized ENVELOPE value
  std::string body;           // BODY (without extension data)
  std::string bodystructure;  // BODYSTRUCTURE
};

class RenderedStructureCache {
 public:
  static RenderedStructureCache& process_wide();

  [[nodiscard]] std::shared_ptr<const RenderedStructure> get(const std::string& content_id, std::size_t max_bytes,
                                                             const std::function<RenderedStructure()>& render);
  std::size_t bytes();    // what the entries count against max_bytes
  std::size_t entries();

 private:
  struct Slot {
    std::shared_ptr<const RenderedStructure> value;
    std::list<std::string>::iterator at;  // in lru_
    std::size_t bytes = 0;
  };
  void evict_to(std::size_t max_bytes);  // with mutex_ held

  std::mutex mutex_;
  std::list<std::string> lru_;  // most recently used first
  std::unordered_map<std::string, Slot> slots_;
  std::size_t bytes_ = 0;
};

}  // namespace bulwark::protocol::imap

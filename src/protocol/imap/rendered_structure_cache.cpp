#include "protocol/imap/rendered_structure_cache.h"

namespace bulwark::protocol::imap {
namespace {

// The strings plus the key and a rough fixed cost of the map node, list node and shared block.
std::size_t cost(const std::string& key, const RenderedStructure& r) {
  return key.size() * 2 + r.envelope.size() + r.body.size() + r.bodystructure.size() + 160;
}

}  // namespace

RenderedStructureCache& RenderedStructureCache::process_wide() {
  static RenderedStructureCache cache;
  return cache;
}

std::shared_ptr<const RenderedStructure> RenderedStructureCache::get(const std::string& content_id,
                                                                     std::size_t max_bytes,
                                                                     const std::function<RenderedStructure()>& render) {
  if (max_bytes != 0) {
    std::lock_guard lock(mutex_);
    if (auto it = slots_.find(content_id); it != slots_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.at);
      return it->second.value;
    }
  }
  auto value = std::make_shared<const RenderedStructure>(render());
  const std::size_t bytes = cost(content_id, *value);
  if (max_bytes == 0 || bytes > max_bytes) return value;
  std::lock_guard lock(mutex_);
  if (auto it = slots_.find(content_id); it != slots_.end()) return it->second.value;  // rendered meanwhile
  evict_to(max_bytes - bytes);
  lru_.push_front(content_id);
  slots_.emplace(content_id, Slot{value, lru_.begin(), bytes});
  bytes_ += bytes;
  return value;
}

void RenderedStructureCache::evict_to(std::size_t max_bytes) {
  while (bytes_ > max_bytes && !lru_.empty()) {
    auto it = slots_.find(lru_.back());
    bytes_ -= it->second.bytes;
    slots_.erase(it);
    lru_.pop_back();
  }
}

std::size_t RenderedStructureCache::bytes() {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t RenderedStructureCache::entries() {
  std::lock_guard lock(mutex_);
  return slots_.size();
}

}  // namespace bulwark::protocol::imap

#include "delivery/waking_queue.h"

namespace bulwark::delivery {

void WakingQueue::set_listener(Listener listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

void WakingQueue::notify(std::optional<store::QueueId> id) {
  Listener listener;
  {
    std::lock_guard lock(mutex_);
    listener = listener_;
  }
  if (listener) listener(id);
}

Result<store::QueueId> WakingQueue::enqueue(const store::BlobRef& blob, const store::QueueEnvelope& envelope) {
  auto id = inner_.enqueue(blob, envelope);
  if (id) notify(*id);
  return id;
}

Result<store::QueueId> WakingQueue::enqueue_content(std::string_view content, const store::QueueEnvelope& envelope) {
  auto id = inner_.enqueue_content(content, envelope);
  if (id) notify(*id);
  return id;
}

Result<std::size_t> WakingQueue::retry(std::optional<store::QueueId> id, std::int64_t now) {
  auto changed = inner_.retry(id, now);
  if (changed && *changed > 0) notify(id);
  return changed;
}

}  // namespace bulwark::delivery

// A QueueStore that tells the delivery worker about each message the moment it is queued, so its delivery
// starts at once instead of at the worker's next poll (poll_interval, 1 s by default). Every call goes to the
// real store unchanged; after a successful enqueue() or enqueue_content() (and retry()) the listener is called with the new id
// (std::nullopt: look at the whole queue). The poll stays for what this process does not see: another
// process's `bulwark queue retry`, retries coming due, a restart.
#pragma once

#include <functional>
#include <mutex>
#include <optional>

#include "store/queue_store.h"

namespace bulwark::delivery {

class WakingQueue final : public store::QueueStore {
 public:
  using Listener = std::function<void(std::optional<store::QueueId>)>;

  explicit WakingQueue(store::QueueStore& inner) : inner_(inner) {}
  // Set once the worker exists (it is built after the front-ends' services); thread-safe.
  void set_listener(Listener listener);

  Result<store::QueueId> enqueue(const store::BlobRef& blob, const store::QueueEnvelope& envelope) override;
  Result<store::QueueId> enqueue_content(std::string_view content, const store::QueueEnvelope& envelope) override;
  Result<std::vector<store::QueuedMessage>> list() override { return inner_.list(); }
  Result<store::QueuedMessage> get(store::QueueId id) override { return inner_.get(id); }
  Result<std::vector<store::QueuedMessage>> due(std::int64_t now, std::size_t limit) override {
    return inner_.due(now, limit);
  }
  Status record(store::QueueId id, const std::vector<store::RecipientUpdate>& updates) override {
    return inner_.record(id, updates);
  }
  Result<std::size_t> retry(std::optional<store::QueueId> id, std::int64_t now) override;
  Status remove(store::QueueId id) override { return inner_.remove(id); }
  Result<std::string> read_content(const store::QueuedMessage& message) override {
    return inner_.read_content(message);
  }

 private:
  void notify(std::optional<store::QueueId> id);

  store::QueueStore& inner_;
  std::mutex mutex_;
  Listener listener_;
};

}  // namespace bulwark::delivery

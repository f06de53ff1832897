// The live configuration. Sessions take a snapshot when they start (or per command); SIGHUP swaps in a new one.
#pragma once

#include <memory>
#include <mutex>

#include "base/config.h"

namespace bulwark {

class ConfigHolder {
 public:
  explicit ConfigHolder(Config config) : current_(std::make_shared<const Config>(std::move(config))) {}
  std::shared_ptr<const Config> get() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  void set(Config config) {
    auto next = std::make_shared<const Config>(std::move(config));
    std::lock_guard lock(mutex_);
    current_ = std::move(next);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Config> current_;
};

}  // namespace bulwark

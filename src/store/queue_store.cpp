#include "store/queue_store.h"

namespace bulwark::store {

std::string_view queue_state_name(QueueState state) {
  switch (state) {
    case QueueState::pending: return "pending";
    case QueueState::delivered: return "delivered";
    case QueueState::failed: return "failed";
  }
  return "unknown";
}

}  // namespace bulwark::store

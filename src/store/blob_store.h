// Immutable message bodies, content-addressed by SHA-256. Used only inside the store layer: protocols reach
// message bytes through MailStore, which checks the principal's rights first. A put returns only when the
// blob is durable (file fsync'd, renamed into place, directory fsync'd).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace bulwark::store {

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // Returns the blob id (lower-case hex SHA-256). Storing the same content twice stores it once.
  [[nodiscard]] virtual Result<std::string> put(std::string_view content) = 0;
  [[nodiscard]] virtual Result<std::string> get(std::string_view blob_id) = 0;
  // At most `max_bytes` from the start of the blob (fewer if it is shorter).
  [[nodiscard]] virtual Result<std::string> get_prefix(std::string_view blob_id, std::size_t max_bytes) {
    BULWARK_TRY_ASSIGN(auto all, get(blob_id));
    if (all.size() > max_bytes) all.resize(max_bytes);
    return all;
  }
  [[nodiscard]] virtual Status remove(std::string_view blob_id) = 0;
};

}  // namespace bulwark::store

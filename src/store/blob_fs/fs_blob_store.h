// Blobs as files under data_dir/blobs/<2 hex>/<62 hex>, named by their SHA-256. A put writes a temporary file in
// data_dir/blobs/tmp, fsyncs it, renames it into place and fsyncs the directory, so a crash at any instant
// leaves either no blob or a complete one. The path is always derived from the hash, never from a request.
#pragma once

#include <filesystem>
#include <memory>

#include "store/blob_store.h"

namespace bulwark::store::blob_fs {

class FsBlobStore final : public BlobStore {
 public:
  static Result<std::unique_ptr<FsBlobStore>> open(const std::filesystem::path& data_dir);

  Result<std::string> put(std::string_view content) override;
  Result<std::string> get(std::string_view blob_id) override;
  Result<std::string> get_prefix(std::string_view blob_id, std::size_t max_bytes) override;
  Status remove(std::string_view blob_id) override;

 private:
  explicit FsBlobStore(std::filesystem::path root) : root_(std::move(root)) {}
  Result<std::filesystem::path> path_for(std::string_view blob_id) const;

  std::filesystem::path root_;
};

// Lower-case hex SHA-256 of the content.
std::string sha256_hex(std::string_view content);

}  // namespace bulwark::store::blob_fs

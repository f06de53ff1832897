#include "store/blob_fs/fs_blob_store.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <limits>

#include <fmt/format.h>

namespace bulwark::store::blob_fs {
namespace {

Error io_error(std::string_view what, const std::filesystem::path& path) {
  return Error{Errc::temporary_failure, fmt::format("{} {}: {}", what, path.string(), std::strerror(errno))};
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

Status fsync_dir(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) return tl::unexpected(io_error("fsync directory", dir));
  return ok();
}

Status write_all(int fd, std::string_view data, const std::filesystem::path& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return tl::unexpected(io_error("write", path));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return ok();
}

}  // namespace

std::string sha256_hex(std::string_view content) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(content.data(), content.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

Result<std::unique_ptr<FsBlobStore>> FsBlobStore::open(const std::filesystem::path& data_dir) {
  std::error_code ec;
  auto root = data_dir / "blobs";
  std::filesystem::create_directories(root / "tmp", ec);
  if (ec) return fail(Errc::internal, "cannot create " + (root / "tmp").string() + ": " + ec.message());
  return std::unique_ptr<FsBlobStore>(new FsBlobStore(root));
}

Result<std::filesystem::path> FsBlobStore::path_for(std::string_view blob_id) const {
  if (blob_id.size() != 64) return fail(Errc::invalid_argument, "bad blob id");
  for (char c : blob_id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return fail(Errc::invalid_argument, "bad blob id");
  }
  return root_ / std::string(blob_id.substr(0, 2)) / std::string(blob_id.substr(2));
}

Result<std::string> FsBlobStore::put(std::string_view content) {
  std::string id = sha256_hex(content);
  auto final_path = path_for(id);
  if (!final_path) return tl::unexpected(final_path.error());
  struct stat st {};
  if (::stat(final_path->c_str(), &st) == 0 && static_cast<std::uint64_t>(st.st_size) == content.size()) {
    return id;  // already stored (and it was made durable before it got its name)
  }
  auto shard = final_path->parent_path();
  bool new_shard = false;
  if (::mkdir(shard.c_str(), 0700) == 0) new_shard = true;
  else if (errno != EEXIST) return tl::unexpected(io_error("mkdir", shard));

  static std::atomic<std::uint64_t> counter{0};
  auto tmp = root_ / "tmp" / fmt::format("{}.{}.{}", ::getpid(), counter.fetch_add(1), id.substr(0, 16));
  {
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0) return tl::unexpected(io_error("create", tmp));
    if (auto status = write_all(fd.get(), content, tmp); !status) {
      ::unlink(tmp.c_str());
      return tl::unexpected(status.error());
    }
    if (::fdatasync(fd.get()) != 0) {
      ::unlink(tmp.c_str());
      return tl::unexpected(io_error("fsync", tmp));
    }
  }
  if (::rename(tmp.c_str(), final_path->c_str()) != 0) {
    ::unlink(tmp.c_str());
    return tl::unexpected(io_error("rename", *final_path));
  }
  if (auto status = fsync_dir(shard); !status) return tl::unexpected(status.error());
  if (new_shard) {
    if (auto status = fsync_dir(root_); !status) return tl::unexpected(status.error());
  }
  return id;
}

Result<std::string> FsBlobStore::get(std::string_view blob_id) {
  return get_prefix(blob_id, std::numeric_limits<std::size_t>::max());
}

Result<std::string> FsBlobStore::get_prefix(std::string_view blob_id, std::size_t max_bytes) {
  auto path = path_for(blob_id);
  if (!path) return tl::unexpected(path.error());
  Fd fd(::open(path->c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return fail(Errc::not_found, "blob missing");
    return tl::unexpected(io_error("open", *path));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return tl::unexpected(io_error("stat", *path));
  std::string out(std::min(max_bytes, static_cast<std::size_t>(st.st_size)), '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(fd.get(), out.data() + done, out.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return tl::unexpected(io_error("read", *path));
    done += static_cast<std::size_t>(n);
  }
  return out;
}

Status FsBlobStore::remove(std::string_view blob_id) {
  auto path = path_for(blob_id);
  if (!path) return tl::unexpected(path.error());
  if (::unlink(path->c_str()) != 0 && errno != ENOENT) return tl::unexpected(io_error("unlink", *path));
  return ok();
}

}  // namespace bulwark::store::blob_fs

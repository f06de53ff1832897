// Durable deliveries from several threads at once, to show that deliveries to different accounts do not
// serialize behind one global lock (foundation issue). Each iteration is what SMTP does for one local recipient:
// MailStore::store_blob (blob file written, fdatasync'd, renamed, directory fsync'd) then MailStore::deliver
// (one SQLite transaction committed with synchronous=FULL in the account's WAL), for a 4 KiB message.
//
// Two modes, each with 1, 2, 4 and 8 threads:
//   own_account   thread i delivers to account i: only the blob store and the account pool are shared;
//   same_account  every thread delivers to one account: deliver() takes that account's lock.
// items_per_second is deliveries per second of wall time, summed over the threads.
//
// Every message is distinct (a unique Message-ID), so the content-addressed blob store never deduplicates and
// every iteration really writes and syncs. The data directory is a fresh mkdtemp under $BULWARK_BENCH_DIR
// (default /tmp), removed at exit; the fsyncs are real, so put it on the filesystem you want to measure.
// See docs/benchmarks.md.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "store/blob_fs/fs_blob_store.h"
#include "store/sqlite/sqlite_directory.h"
#include "store/sqlite/sqlite_mail_store.h"

namespace bulwark::bench {
namespace {

namespace fs = std::filesystem;
using store::DeliveryTarget;
using store::MailStore;

constexpr std::size_t kMessageBytes = 4096;
constexpr int kMaxThreads = 8;
constexpr double kMinSeconds = 2.0;  // per figure; Google Benchmark may run up to about twice that
constexpr std::string_view kDomain = "bench.example.org";

// A fresh directory under $BULWARK_BENCH_DIR (or /tmp), removed with everything in it on destruction. Only the
// directory it created is removed, never the parent.
class BenchDir {
 public:
  static std::optional<BenchDir> create() {
    const char* parent = std::getenv("BULWARK_BENCH_DIR");
    std::string pattern = (fs::path(parent && *parent ? parent : "/tmp") / "bulwark-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::perror(("mkdtemp " + pattern).c_str());
      return std::nullopt;
    }
    return BenchDir(fs::path(pattern));
  }
  BenchDir(BenchDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  BenchDir& operator=(BenchDir&&) = delete;
  BenchDir(const BenchDir&) = delete;
  BenchDir& operator=(const BenchDir&) = delete;
  ~BenchDir() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
    if (ec) std::fprintf(stderr, "could not remove %s: %s\n", path_.c_str(), ec.message().c_str());
  }
  const fs::path& path() const { return path_; }

 private:
  explicit BenchDir(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

// The stores, kMaxThreads accounts for own_account and one more for same_account, all without quota (so deliver
// does not sum the mailbox) and without password (nothing here logs in).
struct Stores {
  std::unique_ptr<store::sqlite::SqliteDirectory> directory;
  std::unique_ptr<store::sqlite::SqliteMailStore> mail;
  std::vector<DeliveryTarget> own;  // [i] for thread i
  std::vector<DeliveryTarget> same;  // one element
  std::atomic<std::uint64_t> next_run{0};  // taken once per thread per run, so no two runs write the same bytes
};

template <typename T>
bool check(const Result<T>& result, std::string_view what) {
  if (result) return true;
  std::fprintf(stderr, "%.*s: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(errc_name(result.error().code).size()), errc_name(result.error().code).data(),
               result.error().detail.c_str());
  return false;
}

bool open_stores(const fs::path& data_dir, Stores& stores) {
  store::DirectoryPolicy policy;
  auto directory = store::sqlite::SqliteDirectory::open(data_dir, policy);
  if (!check(directory, "open directory")) return false;
  stores.directory = std::move(*directory);
  auto blobs = store::blob_fs::FsBlobStore::open(data_dir);
  if (!check(blobs, "open blob store")) return false;
  std::shared_ptr<store::BlobStore> shared_blobs = std::move(*blobs);
  stores.mail = std::make_unique<store::sqlite::SqliteMailStore>(data_dir, std::move(shared_blobs));
  if (!check(stores.directory->add_domain(kDomain), "add domain")) return false;
  for (int i = 0; i <= kMaxThreads; ++i) {
    bool is_same = i == kMaxThreads;
    std::string address = (is_same ? std::string("shared") : "user" + std::to_string(i)) + "@" + std::string(kDomain);
    auto principal = stores.directory->create_account({address, "", "", 0});
    if (!check(principal, "create " + address)) return false;
    if (!check(stores.mail->provision(*principal), "provision " + address)) return false;
    auto resolved = stores.directory->resolve(address);
    if (!check(resolved, "resolve " + address) || resolved->local.size() != 1) return false;
    (is_same ? stores.same : stores.own).push_back(resolved->local.front());
  }
  return true;
}

// A 4 KiB RFC 5322 message whose Message-ID carries two fixed-width hex fields, rewritten in place by stamp().
class Message {
 public:
  Message() {
    text_ = "From: sender@remote.example\r\nTo: rcpt@bench.example.org\r\nSubject: delivery benchmark\r\n"
            "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\nMessage-ID: <";
    id_at_ = text_.size();
    text_ += std::string(33, '0') + "@bench.example.org>\r\n\r\n";
    text_[id_at_ + 16] = '.';
    while (text_.size() < kMessageBytes) {
      std::string line = "The quick brown fox jumps over the lazy dog, line " + std::to_string(text_.size()) + ".\r\n";
      text_ += line.substr(0, kMessageBytes - text_.size());
    }
  }
  std::string_view stamp(std::uint64_t run, std::uint64_t sequence) {
    write_hex(id_at_, run);
    write_hex(id_at_ + 17, sequence);
    return text_;
  }

 private:
  void write_hex(std::size_t at, std::uint64_t value) {
    constexpr std::string_view kHex = "0123456789abcdef";
    for (int i = 15; i >= 0; --i, value >>= 4) text_[at + static_cast<std::size_t>(i)] = kHex[value & 0xf];
  }
  std::string text_;
  std::size_t id_at_ = 0;
};

enum class Mode { own_account, same_account };

void deliveries(benchmark::State& state, Stores& stores, Mode mode) {
  const DeliveryTarget& target =
      mode == Mode::own_account ? stores.own.at(static_cast<std::size_t>(state.thread_index())) : stores.same.front();
  const std::uint64_t run = stores.next_run.fetch_add(1);
  Message message;
  std::uint64_t sequence = 0;
  for (auto _ : state) {
    auto blob = stores.mail->store_blob(message.stamp(run, sequence++));
    if (!blob) {
      state.SkipWithError(("store_blob: " + blob.error().detail).c_str());
      break;
    }
    auto appended = stores.mail->deliver(target, *blob, store::NewMessage{});
    if (!appended) {
      state.SkipWithError(("deliver: " + appended.error().detail).c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(kMessageBytes));
}

}  // namespace
}  // namespace bulwark::bench

int main(int argc, char** argv) {
  using namespace bulwark::bench;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  auto dir = BenchDir::create();
  if (!dir) return 1;
  Stores stores;
  if (!open_stores(dir->path(), stores)) return 1;
  benchmark::AddCustomContext("data_dir", dir->path().string());
  benchmark::AddCustomContext("message_bytes", std::to_string(kMessageBytes));

  // The two modes alternate at each thread count, so that both figures of a pair see the same background load.
  constexpr std::array<std::pair<const char*, Mode>, 2> kModes{{
      {"deliver/own_account", Mode::own_account},
      {"deliver/same_account", Mode::same_account},
  }};
  for (int threads = 1; threads <= kMaxThreads; threads *= 2) {
    for (const auto& [name, mode] : kModes) {
      benchmark::RegisterBenchmark(name, [&stores, mode = mode](benchmark::State& state) {
        deliveries(state, stores, mode);
      })->Threads(threads)->UseRealTime()->MinTime(kMinSeconds)->Unit(benchmark::kMicrosecond);
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

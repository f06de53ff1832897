// The server's TLS contexts. Loads the configured certificate and key or, when none is configured, a
// self-signed certificate for `hostname` generated into data_dir/tls on first start. reload() (SIGHUP)
// builds a new context; connections already in TLS keep the one they started with.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "base/config.h"
#include "base/result.h"
#include "net/asio.h"

namespace bulwark::net {

struct CertificatePaths {
  std::filesystem::path certificate;
  std::filesystem::path private_key;
};

// The files to load: the configured ones, or data_dir/tls/self-signed.{crt,key} (generated if missing).
[[nodiscard]] Result<CertificatePaths> ensure_certificate(const Config& config);

class TlsManager {
 public:
  [[nodiscard]] Status load(const CertificatePaths& paths);
  std::shared_ptr<asio::ssl::context> current() const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<asio::ssl::context> context_;
};

}  // namespace bulwark::net

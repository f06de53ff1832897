// DKIM signing (RFC 6376, c=relaxed/relaxed) with rsa-sha256 and ed25519-sha256 (RFC 8463), OpenSSL 3.
//
// Keys live in the DKIM directory (data_dir/dkim by default) as <domain>/<selector>.pem, one file per key;
// `bulwark dkim generate` creates them. Every key of the sender's domain signs (an ed25519 and an rsa key give
// the dual signature RFC 8463 recommends). Keys are read when first needed and cached; a missing directory
// means "sign nothing".
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/result.h"

namespace bulwark::delivery {

enum class DkimAlgorithm { rsa_sha256, ed25519_sha256 };

struct DkimKey;  // an OpenSSL key with its selector and algorithm

class DkimSigner {
 public:
  explicit DkimSigner(std::filesystem::path dir);
  ~DkimSigner();

  // The DKIM-Signature fields (each ending in CRLF) to prepend to `message` for `domain`; empty when the
  // domain has no key. `now` becomes t=.
  [[nodiscard]] Result<std::string> sign(const std::string& domain, std::string_view message, std::int64_t now);

 private:
  Result<std::shared_ptr<const std::vector<DkimKey>>> keys_for(const std::string& domain);

  std::filesystem::path dir_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const std::vector<DkimKey>>> cache_;
};

// Creates <dir>/<domain>/<selector>.pem (mode 0600) and returns the DNS TXT record value
// ("v=DKIM1; k=ed25519; p=..."). already_exists unless `replace`.
[[nodiscard]] Result<std::string> generate_dkim_key(const std::filesystem::path& dir, const std::string& domain,
                                                    const std::string& selector, DkimAlgorithm algorithm, bool replace);

// The header names signed when present (RFC 6376 5.4.1's recommended set).
const std::vector<std::string>& dkim_signed_headers();

}  // namespace bulwark::delivery

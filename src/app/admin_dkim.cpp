#include "app/admin_dkim.h"

#include <cstdio>

#include "delivery/dkim_signer.h"

namespace bulwark::app {

int dkim_command(const Config& config, const AdminRequest& r) {
  auto dir = config.delivery.dkim_dir.empty() ? config.data_dir / "dkim" : std::filesystem::path(config.delivery.dkim_dir);
  auto algorithm = r.algorithm == "ed25519" ? delivery::DkimAlgorithm::ed25519_sha256 : delivery::DkimAlgorithm::rsa_sha256;
  auto record = delivery::generate_dkim_key(dir, r.name, r.selector, algorithm, r.force);
  if (!record) {
    std::fprintf(stderr, "bulwark: error: %s\n", record.error().detail.c_str());
    return 1;
  }
  std::string domain = r.name;
  for (auto& c : domain) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::printf("key: %s\n", (dir / domain / (r.selector + ".pem")).c_str());
  // TXT character-strings hold at most 255 octets (RFC 1035 3.3.14): a 2048-bit RSA key needs several.
  std::string quoted;
  for (std::size_t i = 0; i < record->size(); i += 255) quoted += (i ? " \"" : "\"") + record->substr(i, 255) + "\"";
  std::printf("%s._domainkey.%s. IN TXT ( %s )\n", r.selector.c_str(), domain.c_str(), quoted.c_str());
  return 0;
}

}  // namespace bulwark::app

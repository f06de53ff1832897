// The admin CLI (`bulwark domain|user|alias|queue|dkim ...`). Each command works on the stores directly, whether or not the
// server runs; the server reads the directory on every lookup, so it sees the change at once. Every command
// prints one clear line on error and returns a non-zero exit status, changing nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/config.h"

namespace bulwark::app {

struct AdminRequest {
  std::string object;  // domain, user, alias
  std::string action;  // add, remove, list, passwd
  std::string name;    // NAME / ADDRESS / ALIAS / DOMAIN filter
  std::vector<std::string> targets;
  bool password_stdin = false;
  std::string display_name;
  std::string quota;
  bool case_sensitive = false;
  bool all = false;          // queue retry --all
  std::string selector;      // dkim generate --selector
  std::string algorithm;     // dkim generate --algorithm rsa|ed25519
  bool force = false;        // dkim generate --force: replace an existing key
};

// Returns the process exit status.
int run_admin_command(const Config& config, const AdminRequest& request);

}  // namespace bulwark::app

// `bulwark dkim generate DOMAIN [--selector S] [--algorithm rsa|ed25519] [--force]`: creates the signing key
// in the DKIM directory ([delivery] dkim_dir, default data_dir/dkim) and prints the DNS TXT record to publish.
// The running server picks up a new domain's keys on its first message from that domain; a replaced key
// needs a restart. Returns the process exit status.
#pragma once

#include "app/admin_commands.h"

namespace bulwark::app {

int dkim_command(const Config& config, const AdminRequest& request);

}  // namespace bulwark::app

// `bulwark serve`: the composition root. Order matters and is the security story (docs/threat-model.md):
// bind listeners and load certificates (may need root) -> drop privileges -> Landlock -> open stores ->
// seccomp (no exec, ever) -> start threads and serve until SIGTERM.
#pragma once

#include <filesystem>
#include <optional>

#include "base/config.h"

namespace bulwark::app {

int serve(Config config, const std::optional<std::filesystem::path>& config_file);
// `bulwark config check`: validates and prints what the server would listen on.
int config_check(const Config& config);

}  // namespace bulwark::app

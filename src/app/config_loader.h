// Reads bulwark.toml into a Config. Every key is listed in README.md "Configuration" with its default. An
// unknown key, a wrong type or a bad value is an error that names the key and the reason; the server then
// refuses to start (the CLI prints it and exits non-zero).
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "base/config.h"
#include "base/result.h"

namespace bulwark::app {

[[nodiscard]] Result<Config> load_config_file(const std::filesystem::path& path);
[[nodiscard]] Result<Config> load_config_text(std::string_view toml, const std::filesystem::path& source = {});

// Built-in defaults used when there is no configuration file at all: every protocol on localhost, high ports.
Config with_default_listeners(Config config);

// The file to use: --config if given (it must exist), else ./bulwark.toml, else /etc/bulwark/bulwark.toml, else
// none (built-in defaults).
[[nodiscard]] Result<std::optional<std::filesystem::path>> find_config_file(const std::optional<std::string>& flag);

}  // namespace bulwark::app

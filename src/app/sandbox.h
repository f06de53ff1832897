// Confinement after start-up (threat model: docs/threat-model.md):
//  1. drop_privileges: started as root, switch to the configured user once listeners are bound.
//  2. restrict_filesystem (Landlock, when the kernel has it): read-write beneath data_dir, read-only the
//     configuration and certificate files and the few system files the libraries read; nothing else.
//  3. forbid_exec (seccomp): execve and execveat fail with EPERM, in every thread, for good.
// Each returns what it did so the server can log which protections are active.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"

namespace bulwark::app {

struct SandboxReport {
  std::vector<std::string> active;    // "seccomp: execve/execveat refused", ...
  std::vector<std::string> inactive;  // with the reason
};

// Looks up `user` (a system account); when running as root, chowns data_dir to it and switches uid/gid.
[[nodiscard]] Status drop_privileges(const std::string& user, const std::filesystem::path& data_dir,
                                     SandboxReport& report);
// Read-write: `writable`; read-only: `readable` (files or directories). Skips paths that do not exist.
[[nodiscard]] Status restrict_filesystem(const std::vector<std::filesystem::path>& writable,
                                         const std::vector<std::filesystem::path>& readable, SandboxReport& report);
[[nodiscard]] Status forbid_exec(SandboxReport& report);
// True if execve is refused in this process (the probe cannot run anything: it uses an empty path).
bool exec_is_refused();

}  // namespace bulwark::app

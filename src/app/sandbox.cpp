#include "app/sandbox.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/landlock.h>
#include <pwd.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bulwark::app {
namespace {

int landlock_abi() {
#ifdef SYS_landlock_create_ruleset
  long abi = syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  return abi < 0 ? 0 : static_cast<int>(abi);
#else
  return 0;
#endif
}

// Access rights this kernel's ABI knows (each ABI adds some; asking for unknown ones fails).
std::uint64_t handled_fs_rights(int abi) {
  std::uint64_t rights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |
                         LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
                         LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
                         LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
                         LANDLOCK_ACCESS_FS_MAKE_SYM;
#ifdef LANDLOCK_ACCESS_FS_REFER
  if (abi >= 2) rights |= LANDLOCK_ACCESS_FS_REFER;
#endif
#ifdef LANDLOCK_ACCESS_FS_TRUNCATE
  if (abi >= 3) rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
#endif
  return rights;
}

}  // namespace

Status drop_privileges(const std::string& user, const std::filesystem::path& data_dir, SandboxReport& report) {
  if (::geteuid() != 0) {
    report.inactive.push_back("privilege drop: not started as root (running as uid " + std::to_string(::geteuid()) + ")");
    return ok();
  }
  if (user.empty()) {
    report.inactive.push_back("privilege drop: disabled (user = \"\"), running as root");
    return ok();
  }
  struct passwd* pw = ::getpwnam(user.c_str());
  if (!pw) {
    return fail(Errc::invalid_argument, "user: the system user '" + user +
                                            "' does not exist (create it with: useradd --system " + user + ")");
  }
  uid_t uid = pw->pw_uid;
  gid_t gid = pw->pw_gid;
  // Everything in the data directory must belong to the service user: the stores were opened as root just
  // before (SQLite may have created -wal/-shm files). Only entries owned by someone else are changed.
  // (This walks data_dir at every start; see docs/operations.md.)
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(data_dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) == 0 && st.st_uid == uid && st.st_gid == gid) continue;
    if (::lchown(it->path().c_str(), uid, gid) != 0) {
      return fail(Errc::internal, "cannot chown " + it->path().string() + ": " + std::strerror(errno));
    }
  }
  if (::chown(data_dir.c_str(), uid, gid) != 0) {
    return fail(Errc::internal, "cannot chown " + data_dir.string() + ": " + std::strerror(errno));
  }
  if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) {
    return fail(Errc::internal, std::string("cannot switch to user ") + user + ": " + std::strerror(errno));
  }
  if (::setuid(0) == 0) return fail(Errc::internal, "privileges could be regained after dropping them");
  report.active.push_back("privileges dropped to user " + user + " (uid " + std::to_string(uid) + ")");
  return ok();
}

Status restrict_filesystem(const std::vector<std::filesystem::path>& writable,
                           const std::vector<std::filesystem::path>& readable, SandboxReport& report) {
  int abi = landlock_abi();
  if (abi <= 0) {
    report.inactive.push_back("landlock: not supported by this kernel");
    return ok();
  }
  std::uint64_t handled = handled_fs_rights(abi);
  struct landlock_ruleset_attr attr {};
  attr.handled_access_fs = handled;
  int ruleset = static_cast<int>(syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0));
  if (ruleset < 0) return fail(Errc::internal, std::string("landlock_create_ruleset: ") + std::strerror(errno));
  auto add = [&](const std::filesystem::path& path, std::uint64_t access) -> Status {
    int fd = ::open(path.c_str(), O_PATH | O_CLOEXEC);
    if (fd < 0) return ok();  // absent on this machine: nothing to allow
    struct landlock_path_beneath_attr rule {};
    rule.parent_fd = fd;
    // Files take only file rights; directories take everything asked for.
    std::error_code ec;
    std::uint64_t file_rights = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE;
#ifdef LANDLOCK_ACCESS_FS_TRUNCATE
    if (abi >= 3) file_rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
#endif
    rule.allowed_access = std::filesystem::is_directory(path, ec) ? access : (access & file_rights);
    long rc = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
    int saved = errno;
    ::close(fd);
    if (rc != 0) return fail(Errc::internal, "landlock_add_rule " + path.string() + ": " + std::strerror(saved));
    return ok();
  };
  std::uint64_t read_only = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
  std::uint64_t read_write = handled & ~LANDLOCK_ACCESS_FS_EXECUTE;
  for (const auto& p : writable) {
    if (auto s = add(p, read_write); !s) { ::close(ruleset); return s; }
  }
  for (const auto& p : readable) {
    if (auto s = add(p, read_only); !s) { ::close(ruleset); return s; }
  }
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) {
    int saved = errno;
    ::close(ruleset);
    return fail(Errc::internal, std::string("landlock_restrict_self: ") + std::strerror(saved));
  }
  ::close(ruleset);
  report.active.push_back("landlock (ABI " + std::to_string(abi) + "): files limited to the data directory, "
                          "configuration and certificates");
  return ok();
}

Status forbid_exec(SandboxReport& report) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx) return fail(Errc::internal, "seccomp_init failed");
  int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(execve), 0);
  if (rc == 0) rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(execveat), 0);
  // Every thread, including any a library already started.
  if (rc == 0) rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
  if (rc == 0) rc = seccomp_load(ctx);
  seccomp_release(ctx);
  if (rc != 0) return fail(Errc::internal, std::string("seccomp: ") + std::strerror(-rc));
  if (!exec_is_refused()) return fail(Errc::internal, "seccomp filter loaded but execve is not refused");
  report.active.push_back("seccomp: execve and execveat refused (verified)");
  return ok();
}

bool exec_is_refused() {
  // An empty path can never execute anything; without the filter the kernel says ENOENT, with it EPERM.
  char* const argv[] = {nullptr};
  ::execve("", argv, argv);
  return errno == EPERM;
}

}  // namespace bulwark::app

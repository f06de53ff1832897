#include "app/sandbox.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

namespace bulwark::app {
namespace {

// Runs `body` in a forked child (the sandbox is irreversible) and returns its exit status.
template <class F>
int in_child(F body) {
  pid_t pid = ::fork();
  if (pid == 0) _exit(body());
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

TEST(Sandbox, ExecIsAllowedBeforeAndRefusedAfterForbidExec) {
  EXPECT_FALSE(exec_is_refused());
  int status = in_child([] {
    SandboxReport report;
    if (!forbid_exec(report)) return 1;
    char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
    ::execv("/bin/true", argv);  // must fail and return here
    return errno == EPERM ? 0 : 2;
  });
  EXPECT_EQ(status, 0);
}

TEST(Sandbox, LandlockConfinesFileAccess) {
  char allowed_template[] = "/tmp/bulwark-landlock-XXXXXX";
  std::string allowed = ::mkdtemp(allowed_template);
  char outside_template[] = "/tmp/bulwark-outside-XXXXXX";
  std::string outside = ::mkdtemp(outside_template);
  { std::ofstream(outside + "/secret") << "x"; }
  int status = in_child([&] {
    SandboxReport report;
    if (!restrict_filesystem({allowed}, {}, report)) return 1;
    if (report.active.empty()) return 0;  // kernel without Landlock: nothing to check
    { std::ofstream(allowed + "/ok") << "y"; }
    if (!std::ifstream(allowed + "/ok")) return 2;
    if (std::ifstream(outside + "/secret")) return 3;
    if (std::ofstream(outside + "/planted")) return 4;
    return 0;
  });
  EXPECT_EQ(status, 0);
  std::filesystem::remove_all(allowed);
  std::filesystem::remove_all(outside);
}

}  // namespace
}  // namespace bulwark::app

#include "tests/plugins/seccomp_sandbox.h"

#include <seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace {

constexpr int kBlockedExit = 99;
constexpr int kSetupExit = 98;

// Async-signal-safe report of the refused call, then exit.
void OnSigsys(int, siginfo_t *info, void *) {
  char buf[64] = "blocked system call ";
  size_t n = std::strlen(buf);
  char digits[16];
  size_t d = 0;
  unsigned v = static_cast<unsigned>(info->si_syscall);
  do {
    digits[d++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0 && d < sizeof digits);
  while (d > 0) buf[n++] = digits[--d];
  buf[n++] = '\n';
  (void)!write(2, buf, n);
  _exit(kBlockedExit);
}

bool InstallFilter(const FakeHost &host) {
  struct sigaction sa {};
  sa.sa_sigaction = OnSigsys;
  sa.sa_flags = SA_SIGINFO;
  if (sigaction(SIGSYS, &sa, nullptr) != 0) return false;
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return false;
  // TRAP rather than the core's KILL_PROCESS, to name the call.
  scmp_filter_ctx f = seccomp_init(SCMP_ACT_TRAP);
  if (f == nullptr) return false;
  bool ok = true;
  for (int nr : {SYS_exit_group, SYS_exit, SYS_rt_sigreturn, SYS_setitimer, SYS_close,
                 SYS_munmap}) {
    ok = ok && seccomp_rule_add(f, SCMP_ACT_ALLOW, nr, 0) == 0;
  }
  for (int fd : {1, 2}) {
    ok = ok && seccomp_rule_add(f, SCMP_ACT_ALLOW, SYS_write, 1,
                                SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(fd))) == 0;
  }
  for (const FakeHost::SeccompGrant &g : host.seccomp_grants()) {
    int rc;
    if (g.arg_index < 0) {
      rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, g.syscall_nr, 0);
    } else {
      scmp_arg_cmp cmp{static_cast<unsigned>(g.arg_index), SCMP_CMP_EQ, g.value, 0};
      rc = seccomp_rule_add_array(f, SCMP_ACT_ALLOW, g.syscall_nr, 1, &cmp);
    }
    ok = ok && (rc == 0 || rc == -EEXIST);
  }
  ok = ok && seccomp_load(f) == 0;
  seccomp_release(f);
  return ok;
}

}  // namespace

bool ExpectInChild(bool ok, const char *what) {
  if (!ok) {
    const char prefix[] = "unexpected result under the filter: ";
    (void)!write(2, prefix, sizeof prefix - 1);
    (void)!write(2, what, std::strlen(what));
    (void)!write(2, "\n", 1);
  }
  return ok;
}

std::string RunUnderPluginFilter(const FakeHost &host, const std::function<bool()> &body) {
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    if (!InstallFilter(host)) _exit(kSetupExit);
    _exit(body() ? 0 : 1);
  }
  int status;
  if (waitpid(pid, &status, 0) != pid) return "waitpid failed";
  if (WIFSIGNALED(status)) return "child killed by signal " + std::to_string(WTERMSIG(status));
  switch (WEXITSTATUS(status)) {
    case 0:
      return "";
    case kBlockedExit:
      return "a plugin made a system call it did not declare (see the log)";
    case kSetupExit:
      return "could not install the seccomp filter";
    default:
      return "a call gave an unexpected result under the filter (see the log)";
  }
}

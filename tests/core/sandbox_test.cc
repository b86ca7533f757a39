// minivm's self-sandboxing (core/sandbox.c, issue 5): after set-up only the
// system calls the core and the plugins declared remain; anything else kills
// minivm with SIGSYS.
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/data_args.h"
#include "tests/support/kvm_required.h"
#include "tests/support/scoped_env.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

extern "C" {
#include "core/config.h"
#include "core/plugin_loader.h"
#include "core/sandbox.h"
#include "core/vcpu_run.h"
#include "core/vmm.h"
}

namespace {

using minivm_test::DataPath;

// Solo5's hvt tender allows 18 system calls; minivm must allow no more.
constexpr int kSolo5HvtAllowed = 18;

// What a child that installed the sandbox reports: how many system calls the
// filter allows, and whether a forbidden one (getpid) then killed it.
struct ChildReport {
  int allowed = -1;
  bool killed_by_sigsys = false;
};

// Loads the built-in default config's plugins (bundled .so files laid out the
// way minivm finds them), then installs the sandbox in a child process.
ChildReport SandboxDefaultConfigInChild() {
  minivm_test::TempDir plugin_dir;
  for (const char* name : {"platform", "console", "fileio", "rng", "clock", "timer"})
    plugin_dir.Symlink(std::string(name) + "/" + name + ".so", DataPath(name));
  minivm_test::ScopedEnv env("MINIVM_PLUGIN_DIR", plugin_dir.path());

  vm_config config;
  EXPECT_EQ(config_load_defaults(&config), 0);
  auto vmm_state = std::make_unique<vmm>();
  vmm_state->config = &config;
  vmm_state->kvm.vcpu_fd = vmm_state->kvm.vm_fd = vmm_state->kvm.kvm_fd = -1;
  vmm_state->stats.fd = -1;
  range_table_init(&vmm_state->ports, "port");
  range_table_init(&vmm_state->mmio, "MMIO");
  EXPECT_EQ(plugin_set_load(vmm_state.get()), 0);

  int report_pipe[2];
  EXPECT_EQ(pipe(report_pipe), 0);
  pid_t child = fork();
  if (child == 0) {
    close(report_pipe[0]);
    // The filter lets write(2) reach fds 1 and 2 only: report through fd 1.
    if (dup2(report_pipe[1], 1) != 1) _exit(4);
    // As minivm does: the plugins' tick timer first (the console asks for one).
    if (vcpu_arm_timer(vmm_state.get(), 0) != 0) _exit(5);
    if (sandbox_enter(vmm_state.get()) != 0) _exit(2);
    int allowed = sandbox_allowed_count();
    if (write(1, &allowed, sizeof allowed) != sizeof allowed) _exit(3);
    syscall(SYS_getpid);  // not on the list: the filter kills us here
    _exit(0);
  }
  close(report_pipe[1]);
  ChildReport report;
  EXPECT_EQ(read(report_pipe[0], &report.allowed, sizeof report.allowed),
            (ssize_t)sizeof report.allowed);
  close(report_pipe[0]);
  int status = 0;
  EXPECT_EQ(waitpid(child, &status, 0), child);
  report.killed_by_sigsys = WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS;
  plugin_set_unload(&vmm_state->plugins);
  config_free(&config);
  return report;
}

TEST(SandboxTest, DefaultConfigAllowsNoMoreSystemCallsThanSolo5) {
  ChildReport report = SandboxDefaultConfigInChild();
  EXPECT_GT(report.allowed, 0);
  // 18 since the console's output ring: its tick's signal needs rt_sigreturn.
  EXPECT_LE(report.allowed, kSolo5HvtAllowed);
  RecordProperty("allowed_syscalls", report.allowed);
}

TEST(SandboxTest, AnUndeclaredSystemCallKillsWithSigsys) {
  EXPECT_TRUE(SandboxDefaultConfigInChild().killed_by_sigsys);
}

// End to end: a plugin whose handler calls socket() takes minivm down with
// SIGSYS the moment the guest pokes it — it never reaches the exit.
TEST(SandboxTest, ForbiddenCallFromAPluginHandlerKillsMinivm) {
  MINIVM_NEED_KVM();
  minivm_test::TempDir dir;
  dir.Symlink("kernel.elf", DataPath("kernel_poke"));
  dir.Symlink("forbidden.so", DataPath("forbidden_syscall"));
  dir.Write("vm.ini",
            "[vm]\nkernel = kernel.elf\n[plugin platform]\n"
            "[plugin poke]\npath = ./forbidden.so\nport = 0x600\n");
  minivm_test::RunOptions options;
  options.cwd = dir.path();
  minivm_test::RunResult r = minivm_test::RunCommand(
      {DataPath("minivm"), "-c", "vm.ini", "--", DataPath("static")}, options);
  EXPECT_FALSE(r.exited) << r;
  EXPECT_EQ(r.signal, SIGSYS) << r;
}

}  // namespace

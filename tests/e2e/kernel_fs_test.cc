// The guest kernel's own filesystems (issue 12) where a native run cannot be
// the reference: tmpfs at /tmp and /dev/shm under a read-only root, shared
// mappings of their files, and the /proc and /sys contents minivm defines.
// tests/differential runs the same kernel_fs program against Linux.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/data_args.h"
#include "tests/support/kvm_required.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace minivm_test {
namespace {

const char kBusybox[] = "/bin/busybox";

RunResult RunInGuest(const TempDir& root, const std::vector<std::string>& command) {
  std::vector<std::string> argv = {DataPath("minivm"), "--root", root.path(), "--timeout", "20s",
                                   "--"};
  argv.insert(argv.end(), command.begin(), command.end());
  RunOptions options;
  options.cwd = root.path();
  return RunCommand(argv, options);
}

RunResult Shell(const TempDir& root, const std::string& script) {
  return RunInGuest(root, {kBusybox, "sh", "-c", script});
}

class KernelFsProgram : public testing::TestWithParam<std::string> {};

// Every check of kernel_fs, shared mappings and POSIX shared memory included.
TEST_P(KernelFsProgram, StrictModePassesEveryCheck) {
  MINIVM_NEED_KVM();
  TempDir root;
  RunResult r = RunInGuest(root, {DataPath(GetParam()), "strict"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out.find("FAILED"), std::string::npos) << r;
  EXPECT_NE(r.out.find("shm: another process's mapping: ok"), std::string::npos) << r;
  EXPECT_NE(r.out.find("test directory removed: ok"), std::string::npos) << r;
}

INSTANTIATE_TEST_SUITE_P(Libcs, KernelFsProgram,
                         testing::Values("kernel_fs_glibc", "kernel_fs_musl"));

TEST(KernelFsTest, TmpIsWritableUnderAReadOnlyRootAndLeavesTheHostAlone) {
  MINIVM_NEED_KVM();
  TempDir root;
  RunResult r = Shell(root,
                      "echo data > /tmp/f && cat /tmp/f && ls -a /tmp && echo x > /dev/shm/y && "
                      "ls /dev/shm && stat -c '%a %u' /tmp && echo no > /new");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.out, "data\n.\n..\nf\ny\n1777 0\n") << r;
  EXPECT_NE(r.status, 0) << r;  // the root itself stays read-only
  RunResult ls = RunCommand({"/bin/ls", "-A", root.path()});
  EXPECT_EQ(ls.out, "");
  // Each VM starts with an empty /tmp of its own.
  RunResult again = Shell(root, "ls -a /tmp");
  EXPECT_EQ(again.out, ".\n..\n") << again;
}

// /dev/shm is reachable in a root without /dev: /dev is a directory that
// lists it and the kernel's device nodes.
TEST(KernelFsTest, DevIsThereForShmAndListsTheNodes) {
  MINIVM_NEED_KVM();
  TempDir root;
  RunResult r = Shell(root, "ls -a /dev/shm && stat -c '%F' /dev && ls /dev");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.out, ".\n..\ndirectory\nfull\nnull\nrandom\nshm\nurandom\nzero\n") << r;
}

TEST(KernelFsTest, SysDescribesOneCpu) {
  MINIVM_NEED_KVM();
  TempDir root;
  RunResult r = Shell(root,
                      "cat /sys/devices/system/cpu/online /sys/devices/system/cpu/possible && "
                      "ls /sys/devices/system/cpu");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.out, "0\n0\ncpu0\nonline\npossible\npresent\n") << r;
}

// The program minivm runs is pid 2 (minivm plays init, pid 1).
TEST(KernelFsTest, ProcShowsTheMountsAndTheProgram) {
  MINIVM_NEED_KVM();
  TempDir root;
  RunResult r = Shell(root,
                      "cat /proc/mounts /proc/sys/kernel/ostype /proc/sys/kernel/osrelease "
                      "/proc/2/comm && readlink /proc/2/exe && readlink /proc/2/cwd && ls /proc/2");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.out,
            "host / hostfs ro,relatime 0 0\n"
            "proc /proc proc ro,relatime 0 0\n"
            "sysfs /sys sysfs ro,relatime 0 0\n"
            "tmpfs /tmp tmpfs rw,relatime 0 0\n"
            "tmpfs /dev/shm tmpfs rw,relatime 0 0\n"
            "Linux\n6.1.0-minivm\nbusybox\n/bin/busybox\n/\n"
            "auxv\ncmdline\ncomm\ncwd\nenviron\nexe\nfd\nlimits\nmaps\nmounts\nroot\nstat\n"
            "statm\nstatus\ntask\n")
      << r;
}

// /proc/self/exe opens the running program itself, wherever it came from
// (here from outside the root). execve of it: tests/differential processes.
TEST(KernelFsTest, ProcSelfExeReadsTheProgram) {
  MINIVM_NEED_KVM();
  TempDir root;
  RunResult r = Shell(root, "head -c 4 /proc/self/exe | od -c | head -1");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.out, "0000000 177   E   L   F\n") << r;
}

}  // namespace
}  // namespace minivm_test

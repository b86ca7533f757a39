// Hostile guests (issue 5): each attack ends the way docs/security.md promises
// — an error for the program, or the program killed by a signal — and never
// as a minivm failure (125), a hang, or a change on the host.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/data_args.h"
#include "tests/support/kvm_required.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace minivm_test {
namespace {

class HostileTest : public testing::Test {
 protected:
  void SetUp() override { MINIVM_NEED_KVM(); }

  RunResult Attack(const std::string& attack, const std::vector<std::string>& flags = {}) {
    std::vector<std::string> argv = {DataPath("minivm"), "--root", root_.path(), "--timeout",
                                     "60s"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), {"--", DataPath("hostile"), attack});
    RunOptions options;
    options.cwd = root_.path();
    options.timeout = std::chrono::seconds(90);
    return RunCommand(argv, options);
  }

  // The program died of `signal` with minivm's one-line report.
  void ExpectKilledBy(const std::string& attack, int signal, const char* name) {
    SCOPED_TRACE(attack);
    RunResult r = Attack(attack);
    ASSERT_TRUE(r.exited) << r;
    EXPECT_EQ(r.status, 128 + signal) << r;
    EXPECT_EQ(r.out.find("survived"), std::string::npos) << r;
    // The last line (a crash report may come before it).
    size_t last = r.err.size() > 1 ? r.err.rfind('\n', r.err.size() - 2) : std::string::npos;
    last = last == std::string::npos ? 0 : last + 1;
    EXPECT_EQ(r.err.find(std::string("minivm: program killed by ") + name, last), last) << r;
  }

  TempDir root_;
};

TEST_F(HostileTest, TouchingKernelMemoryIsSigsegv) {
  ExpectKilledBy("write-kernel", 11, "SIGSEGV");
  ExpectKilledBy("read-physmap", 11, "SIGSEGV");
  ExpectKilledBy("jump-kernel", 11, "SIGSEGV");
}

TEST_F(HostileTest, ExecutingDataIsSigsegv) { ExpectKilledBy("execute-stack", 11, "SIGSEGV"); }

TEST_F(HostileTest, PrivilegedInstructionsEndTheProgramNotTheVm) {
  // (`int $0x80` is left out: a #GP on hardware KVM, but PVM reports #UD.)
  for (const char* attack :
       {"out", "in", "out-platform-port", "hlt", "cli", "wrmsr", "lgdt", "mov-cr3"})
    ExpectKilledBy(attack, 11, "SIGSEGV");
}

TEST_F(HostileTest, InvalidOpcodeIsSigill) { ExpectKilledBy("ud2", 4, "SIGILL"); }

TEST_F(HostileTest, KernelPointersInSystemCallsAreEfault) {
  RunResult r = Attack("kernel-pointers");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out,
            "write from kernel text: EFAULT\n"
            "write from physmap: EFAULT\n"
            "read into kernel text: EFAULT\n"
            "open kernel path: EFAULT\n"
            "stat into kernel: EFAULT\n"
            "getcwd into kernel: EFAULT\n");
}

TEST_F(HostileTest, WildPointersAndWrappingLengthsAreEfault) {
  RunResult r = Attack("wild-pointers");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out,
            "write from unmapped: EFAULT\n"
            "write from non-canonical: EFAULT\n"
            "write wrapping length: EFAULT\n"
            "write past the user half: EFAULT\n"
            "read huge length: EFAULT\n"
            "open unterminated path at the end of a mapping: EFAULT\n"
            "clock_gettime into nowhere: EFAULT\n");
}

TEST_F(HostileTest, OpenFilesAreCappedWithEmfile) {
  RunResult r = Attack("fd-exhaustion");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out, "opened many fds, then EMFILE\n");
}

TEST_F(HostileTest, MemoryIsCappedByTheGuestSize) {
  RunResult r = Attack("memory-exhaustion", {"--memory", "64M"});
  ASSERT_TRUE(r.exited) << r;
  // Like Linux: either the allocation fails, or the program is killed when a
  // page fault finds no memory (the OOM killer's SIGKILL). Never minivm's 125.
  if (r.status == 0) {
    EXPECT_EQ(r.out, "mmap failed after touching memory: ENOMEM\n");
  } else {
    EXPECT_EQ(r.status, 128 + 9) << r;
    EXPECT_NE(r.err.find("minivm: program killed by SIGKILL (signal 9): the guest ran out of "
                         "memory (64 MiB; raise --memory)"),
              std::string::npos)
        << r;
  }
  EXPECT_EQ(r.out.find("without running out"), std::string::npos) << r;
}

TEST_F(HostileTest, ForkWorksAgainAfterTheMemoryRanOut) {
  RunResult r = Attack("fork-after-out-of-memory", {"--memory", "64M"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out, "eater was killed; forks after it: 40\n");
}

TEST_F(HostileTest, CachedFilePagesAreReclaimedBeforeAnythingIsKilled) {
  root_.Write("big.bin", std::string(24 << 20, 'x'));
  RunResult r = Attack("cache-then-anonymous-memory", {"--memory", "64M"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out, "read 24 MiB of a file, then touched 40 MiB\n");
}

TEST_F(HostileTest, HugeUntouchedMappingsCostNothing) {
  RunResult r = Attack("huge-mapping", {"--memory", "64M"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out, "64 GiB mapping: touched both ends\n");
}

TEST_F(HostileTest, UnknownSyscallIsEnosysAndTracedOnce) {
  RunResult r = Attack("unknown-syscall", {"--trace"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out, "io_uring_setup: ENOSYS\nio_uring_setup again: ENOSYS\n");
  const std::string line = "minivm: trace: unimplemented syscall 425 (io_uring_setup)";
  size_t first = r.err.find(line);
  EXPECT_NE(first, std::string::npos) << r;
  EXPECT_EQ(r.err.find(line, first + 1), std::string::npos) << "reported once: " << r;
  RunResult quiet = Attack("unknown-syscall");
  EXPECT_EQ(quiet.err, "") << "without --trace nothing is printed";
}

TEST_F(HostileTest, ASpinningProgramIsStoppedByTheTimeout) {
  RunResult r = Attack("spin", {"--timeout", "300ms"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 124) << r;
  EXPECT_EQ(r.err, "minivm: timed out after 300 ms; the program was stopped\n");
}

}  // namespace
}  // namespace minivm_test

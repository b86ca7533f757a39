// End to end: the real minivm binary booting the core's test kernels
// (tests/core/fixtures/test_kernel.c), one per way a run can end, plus the
// statuses minivm decides before any VM exists (design.md §6).
//
// Data: minivm=, static=, dynamic= (tests/core/fixtures/programs), and
// kernel_MODE= for each test kernel.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/data_args.h"
#include "tests/support/kvm_required.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

extern "C" {
#include "core/config.h"
}

namespace {

using minivm_test::DataPath;
using minivm_test::RunCommand;
using minivm_test::RunOptions;
using minivm_test::RunResult;

class ExitPathsTest : public ::testing::Test {
 protected:
  // Runs `minivm -c vm.ini FLAGS -- PROGRAM` in a fresh directory where vm.ini
  // holds `ini` and kernel.elf links to test kernel `mode` (relative names keep
  // INI lines short).
  RunResult RunMinivm(const std::string& ini, const std::vector<std::string>& flags,
                      const std::vector<std::string>& program, const std::string& mode = "") {
    if (!mode.empty()) dir_.Symlink("kernel.elf", DataPath("kernel_" + mode));
    dir_.Write("vm.ini", ini);
    std::vector<std::string> argv = {DataPath("minivm"), "-c", "vm.ini"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    if (!program.empty()) {
      argv.push_back("--");
      argv.insert(argv.end(), program.begin(), program.end());
    }
    RunOptions options;
    options.cwd = dir_.path();
    options.timeout = std::chrono::seconds(20);
    return RunCommand(argv, options);
  }

  // Boots test kernel `mode` with only the platform plugin.
  RunResult Boot(const std::string& mode, const std::vector<std::string>& flags = {},
                 const std::string& vm_keys = "") {
    return RunMinivm("[vm]\nkernel = kernel.elf\n" + vm_keys + "\n[plugin platform]\n", flags,
                     {DataPath("static")}, mode);
  }

  minivm_test::TempDir dir_;
};

// Every line minivm prints on stderr is its own and says so.
void ExpectOnlyMinivmLines(const std::string& err) {
  size_t start = 0;
  while (start < err.size()) {
    size_t end = err.find('\n', start);
    std::string line = err.substr(start, end - start);
    EXPECT_EQ(line.rfind("minivm: ", 0), 0u) << "line without the prefix: " << line;
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

// The run-loop failures print a message and the guest's registers.
void ExpectRegisterDump(const std::string& err) {
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "minivm:   rip ", err);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, " cr3 ", err);
}

// The number of environment variables minivm gives a program by default.
size_t DefaultEnvCount() {
  vm_config config;
  EXPECT_EQ(config_load_defaults(&config), 0);
  size_t count = config.env_count;
  config_free(&config);
  return count;
}

TEST_F(ExitPathsTest, GuestExitStatusIsMinivmsStatus) {
  MINIVM_NEED_KVM();
  RunResult r = Boot("exit");
  EXPECT_TRUE(r.exited && r.status == 42) << r;
  EXPECT_EQ(r.err, "") << r;
}

// A kernel linked in the lower-half window (minivm/boot_info.h, docs/pvm.md)
// gets the PVM layout on kvm_pvm: the boot flag, U-bit kernel pages and a PGD
// pair the host's native mode accepts (the kernel checks CS = 0x33 after its
// VIF write). Any other KVM refuses such a kernel with a clear message.
TEST_F(ExitPathsTest, PvmKernelRunsNativelyOnKvmPvmOrIsRefused) {
  MINIVM_NEED_KVM();
  RunResult r = Boot("pvm_native");
  if (r.err.find("this KVM is not kvm_pvm") != std::string::npos) {
    EXPECT_TRUE(r.exited && r.status == 125) << r;
    return;
  }
  EXPECT_TRUE(r.exited && r.status == 42) << r;
  EXPECT_EQ(r.err, "") << r;
}

TEST_F(ExitPathsTest, HaltWithoutExitIs125WithRegisters) {
  MINIVM_NEED_KVM();
  RunResult r = Boot("hlt");
  EXPECT_TRUE(r.exited && r.status == 125) << r;
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "minivm: guest kernel halted", r.err);
  ExpectRegisterDump(r.err);
  ExpectOnlyMinivmLines(r.err);
}

TEST_F(ExitPathsTest, UnregisteredPortIs125NamingThePort) {
  MINIVM_NEED_KVM();
  RunResult r = Boot("bad_port");
  EXPECT_TRUE(r.exited && r.status == 125) << r;
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "port 0x7777, which no plugin registered", r.err);
  ExpectRegisterDump(r.err);
  ExpectOnlyMinivmLines(r.err);
}

TEST_F(ExitPathsTest, TripleFaultIs125WithAClearMessage) {
  MINIVM_NEED_KVM();
  RunResult r = Boot("triple_fault");
  EXPECT_TRUE(r.exited && r.status == 125) << r;
  // KVM reports SHUTDOWN, or (nested, on some hosts) an emulation failure.
  bool shutdown = r.err.find("minivm: guest triple fault (KVM_EXIT_SHUTDOWN)") != std::string::npos;
  bool emulation = r.err.find("minivm: KVM internal error") != std::string::npos &&
                   r.err.find("emulation failure") != std::string::npos;
  EXPECT_TRUE(shutdown || emulation) << r;
  ExpectRegisterDump(r.err);
  ExpectOnlyMinivmLines(r.err);
}

TEST_F(ExitPathsTest, UnregisteredMmioIs125NamingTheAddress) {
  MINIVM_NEED_KVM();
  RunResult r = Boot("bad_mmio");
  EXPECT_TRUE(r.exited && r.status == 125) << r;
  EXPECT_PRED_FORMAT2(testing::IsSubstring,
                      "guest wrote 4 bytes at 0xc0000000, which is neither RAM nor a registered "
                      "MMIO window",
                      r.err);
  ExpectRegisterDump(r.err);
}

TEST_F(ExitPathsTest, StringIoIs125) {
  MINIVM_NEED_KVM();
  RunResult r = Boot("string_io");
  EXPECT_TRUE(r.exited && r.status == 125) << r;
  // KVM may hand over the whole `rep outsb` (the core refuses string I/O) or
  // one byte per exit (the platform plugin refuses a 1-byte OUT).
  bool core_refused =
      r.err.find("guest used string or 1-byte I/O (count 3) on port 0x") != std::string::npos;
  bool plugin_refused =
      r.err.find("plugin platform refused a 1-byte write at port 0x") != std::string::npos;
  EXPECT_TRUE(core_refused || plugin_refused) << r;
  ExpectRegisterDump(r.err);
}

TEST_F(ExitPathsTest, TimeoutFromConfigIs124) {
  MINIVM_NEED_KVM();
  RunResult r = Boot("spin", {}, "timeout = 300ms\n");
  EXPECT_TRUE(r.exited && r.status == 124) << r;
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "minivm: timed out after 300 ms", r.err);
  // A generous bound: precise timing belongs to bench/.
  EXPECT_LT(r.elapsed.count(), 2000) << r;
  EXPECT_GE(r.elapsed.count(), 250) << r;
}

TEST_F(ExitPathsTest, TimeoutFlagOverridesConfig) {
  MINIVM_NEED_KVM();
  RunResult r = Boot("spin", {"--timeout", "200ms"}, "timeout = 60\n");
  EXPECT_TRUE(r.exited && r.status == 124) << r;
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "timed out after 200 ms", r.err);
  EXPECT_LT(r.elapsed.count(), 2000) << r;
}

TEST_F(ExitPathsTest, ArgvAndEnvReachTheGuest) {
  MINIVM_NEED_KVM();
  const size_t default_env = DefaultEnvCount();
  ASSERT_GT(default_env, 0u);
  RunResult r = RunMinivm("[vm]\nkernel = kernel.elf\n[plugin platform]\n",
                          {"--env", "MINIVM_A=1", "--env", "MINIVM_B=2"},
                          {DataPath("static"), "a", "b"}, "echo_argc");
  EXPECT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, (int)(3 + 16 * (default_env + 2)) % 256) << r;
}

TEST_F(ExitPathsTest, EnvFlagReplacingADefaultDoesNotAddOne) {
  MINIVM_NEED_KVM();
  const size_t default_env = DefaultEnvCount();
  RunResult r = RunMinivm("[vm]\nkernel = kernel.elf\nenv = HOME=/from-config\n[plugin platform]\n",
                          {"--env", "HOME=/from-flag", "--env", "MINIVM_NEW=1"},
                          {DataPath("static")}, "echo_argc");
  EXPECT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, (int)(1 + 16 * (default_env + 1)) % 256) << r;
}

TEST_F(ExitPathsTest, ProgramAndArgsFromConfig) {
  MINIVM_NEED_KVM();
  const size_t default_env = DefaultEnvCount();
  dir_.Symlink("bin/prog", DataPath("static"));
  RunResult r = RunMinivm("[vm]\nkernel = kernel.elf\nprogram = ./bin/prog\narg = x\narg = y\n"
                          "arg = z\n[plugin platform]\n",
                          {}, {}, "echo_argc");
  EXPECT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, (int)(4 + 16 * default_env) % 256) << r;
}

// Statuses decided before a VM exists: no KVM needed.

TEST_F(ExitPathsTest, MissingProgramIs127) {
  RunResult r = RunMinivm("[vm]\n", {}, {dir_.Path("no-such-program")});
  EXPECT_TRUE(r.exited && r.status == 127) << r;
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "minivm: " + dir_.Path("no-such-program"), r.err);
  RunResult by_name = RunMinivm("[vm]\n", {}, {"minivm-no-such-program-in-path"});
  EXPECT_TRUE(by_name.exited && by_name.status == 127) << by_name;
  EXPECT_PRED_FORMAT2(testing::IsSubstring,
                      "minivm: minivm-no-such-program-in-path: program not found", by_name.err);
}

TEST_F(ExitPathsTest, DynamicProgramRunsWithTheHostsLibraries) {
  MINIVM_NEED_KVM();
  RunResult r = RunMinivm("[vm]\n", {}, {DataPath("dynamic"), "7"});
  EXPECT_TRUE(r.exited && r.status == 7) << r;
  EXPECT_EQ(r.err, "");
}

TEST_F(ExitPathsTest, MissingInterpreterIs127) {
  MINIVM_NEED_KVM();
  RunResult r = RunMinivm("[vm]\nhost_libraries = false\n", {}, {DataPath("dynamic")});
  EXPECT_TRUE(r.exited && r.status == 127) << r;
  EXPECT_PRED_FORMAT2(testing::IsSubstring,
                      "interpreter /lib64/ld-linux-x86-64.so.2: not found in the guest", r.err);
  ExpectOnlyMinivmLines(r.err);
}

TEST_F(ExitPathsTest, BadInterpreterIs126) {
  MINIVM_NEED_KVM();
  // The root holds the interpreter's path, but it is no ELF executable.
  dir_.Write("lib64/ld-linux-x86-64.so.2", std::string(4096, 'x'), 0755);
  RunResult r = RunMinivm("[vm]\n", {}, {DataPath("dynamic")});
  EXPECT_TRUE(r.exited && r.status == 126) << r;
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "interpreter /lib64/ld-linux-x86-64.so.2: not an ELF file",
                      r.err);
}

TEST_F(ExitPathsTest, NonElfProgramIs126) {
  std::string script = dir_.Write("script.sh", "#!/bin/sh\nexit 0\n", 0755);
  RunResult r = RunMinivm("[vm]\n", {}, {script});
  EXPECT_TRUE(r.exited && r.status == 126) << r;
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "not an x86-64 executable", r.err);
}

TEST_F(ExitPathsTest, BadConfigIs125WithFileAndLine) {
  RunResult r = RunMinivm("[vm]\nmemory = 64M\nmemroy = 64M\n", {}, {DataPath("static")});
  EXPECT_TRUE(r.exited && r.status == 125) << r;
  EXPECT_EQ(r.err, "minivm: vm.ini:3: unknown key 'memroy' in [vm]\n") << r;
}

TEST_F(ExitPathsTest, MissingConfigFileIs125) {
  RunOptions options;
  options.cwd = dir_.path();
  RunResult r = RunCommand({DataPath("minivm"), "-c", "absent.ini", "--", DataPath("static")},
                           options);
  EXPECT_TRUE(r.exited && r.status == 125) << r;
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "minivm: cannot open config file absent.ini", r.err);
}

TEST_F(ExitPathsTest, HelpIs0WithUsage) {
  for (const char* flag : {"-h", "--help"}) {
    RunResult r = RunCommand({DataPath("minivm"), flag});
    EXPECT_TRUE(r.exited && r.status == 0) << flag << ": " << r;
    EXPECT_EQ(r.out.rfind("usage: ", 0), 0u) << r;
    EXPECT_PRED_FORMAT2(testing::IsSubstring, "--timeout", r.out);
    EXPECT_EQ(r.err, "");
  }
}

TEST_F(ExitPathsTest, VersionIs0) {
  RunResult r = RunCommand({DataPath("minivm"), "-V"});
  EXPECT_TRUE(r.exited && r.status == 0) << r;
  EXPECT_EQ(r.out.rfind("minivm ", 0), 0u) << r;
}

TEST_F(ExitPathsTest, UnknownOptionIs125) {
  RunResult r = RunCommand({DataPath("minivm"), "--frobnicate", "--", DataPath("static")});
  EXPECT_TRUE(r.exited && r.status == 125) << r;
  EXPECT_EQ(r.err, "minivm: unknown option --frobnicate (try --help)\n") << r;
  EXPECT_EQ(r.out, "");
}

TEST_F(ExitPathsTest, BadFlagValueIs125) {
  RunResult r = RunCommand({DataPath("minivm"), "--memory", "lots", "--", DataPath("static")});
  EXPECT_TRUE(r.exited && r.status == 125) << r;
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "--memory: 'lots' is not a size", r.err);
}

TEST_F(ExitPathsTest, NoProgramIs125) {
  RunResult r = RunMinivm("[vm]\n", {}, {});
  EXPECT_TRUE(r.exited && r.status == 125) << r;
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "minivm: no program to run", r.err);
}

}  // namespace

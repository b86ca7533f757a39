// docs/plugins.md, followed as a newcomer would: build the example device with
// the one documented `cc` command (out of tree), add its INI section, and see
// the guest use it — and the same plugin built by Bazel.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/data_args.h"
#include "tests/support/kvm_required.h"
#include "tests/support/runfiles.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace minivm_test {
namespace {

// The section docs/examples/shout_console/shout.ini adds.
const char kIni[] =
    "[plugin platform]\n[plugin fileio]\n"
    "[plugin console]\npath = ./shout_console.so\nport = 0x501\n";

RunResult RunHelloWith(const TempDir& dir) {
  dir.Write("shout.ini", kIni);
  RunOptions options;
  options.cwd = dir.path();
  return RunCommand({DataPath("minivm"), "-c", "shout.ini", "--", DataPath("hello_glibc")},
                    options);
}

TEST(ExamplePluginTest, OutOfTreeBuildWithOneCcCommandIsUsedByTheGuest) {
  MINIVM_NEED_KVM();
  TempDir dir;
  // The command of docs/plugins.md §7, with the checkout's include folders.
  RunResult cc = RunCommand(
      {"/usr/bin/cc", "-shared", "-fPIC", "-O2", "-I", RunfilePath("core/include"), "-I",
       RunfilePath("plugins"), "-o", dir.Path("shout_console.so"),
       RunfilePath("docs/examples/shout_console/shout_console.c")});
  ASSERT_TRUE(cc.exited && cc.status == 0) << cc;
  RunResult r = RunHelloWith(dir);
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out, "HELLO FROM GLIBC\n");
}

TEST(ExamplePluginTest, BazelBuiltPluginBehavesTheSame) {
  MINIVM_NEED_KVM();
  TempDir dir;
  dir.Symlink("shout_console.so", DataPath("shout_console"));
  RunResult r = RunHelloWith(dir);
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out, "HELLO FROM GLIBC\n");
}

}  // namespace
}  // namespace minivm_test

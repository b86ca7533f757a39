// The shared test helpers themselves: RunCommand, CheckKvm, TempDir.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"
#include "tests/support/kvm_required.h"
#include "tests/support/scoped_env.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace minivm_test {
namespace {

RunResult Shell(const std::string& script, const RunOptions& options = {}) {
  return RunCommand({"/bin/sh", "-c", script}, options);
}

TEST(RunCommandTest, CapturesOutputAndStatus) {
  RunResult r = Shell("echo out; echo err >&2; exit 3");
  EXPECT_TRUE(r.started);
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.status, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_FALSE(r.timed_out);
}

TEST(RunCommandTest, LargeOutputOnBothStreamsDoesNotDeadlock) {
  RunResult r = Shell("i=0; while [ $i -lt 2000 ]; do echo 0123456789012345678901234567890123456789;"
                      " echo e0123456789012345678901234567890123456789 >&2; i=$((i+1)); done");
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out.size(), 2000u * 41);
  EXPECT_EQ(r.err.size(), 2000u * 42);
}

TEST(RunCommandTest, ReportsDeathBySignal) {
  RunResult r = Shell("kill -TERM $$");
  EXPECT_FALSE(r.exited);
  EXPECT_EQ(r.signal, SIGTERM);
}

TEST(RunCommandTest, KillsAfterTheTimeout) {
  RunOptions options;
  options.timeout = std::chrono::milliseconds(200);
  RunResult r = Shell("echo started; exec sleep 30", options);
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.exited);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_EQ(r.out, "started\n");
  EXPECT_LT(r.elapsed.count(), 5000);
}

TEST(RunCommandTest, StdinEnvAndCwd) {
  TempDir dir;
  RunOptions options;
  options.stdin_data = std::string(100000, 'x') + "\n";
  options.env["MINIVM_TEST_VAR"] = "hello";
  options.cwd = dir.path();
  RunResult r = Shell("wc -c; echo $MINIVM_TEST_VAR; pwd -P", options);
  char real[4096];
  ASSERT_NE(realpath(dir.path().c_str(), real), nullptr);
  EXPECT_EQ(r.out, "100001\nhello\n" + std::string(real) + "\n") << r;
}

TEST(RunCommandTest, StdinIsEmptyByDefault) {
  RunResult r = Shell("cat");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "");
}

TEST(RunCommandTest, ExecFailureIsReported) {
  RunResult r = RunCommand({"/nonexistent/program"});
  EXPECT_FALSE(r.started);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "No such file", r.error);
}

class KvmCheckTest : public ::testing::Test {
 protected:
  TempDir dir_;
};

TEST_F(KvmCheckTest, AbsentDeviceMeansSkip) {
  ScopedEnv device("MINIVM_KVM_DEVICE", dir_.Path("kvm"));
  std::string why;
  EXPECT_EQ(CheckKvm(&why), KvmState::kAbsent);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, dir_.Path("kvm") + " is absent", why);
}

TEST_F(KvmCheckTest, DeviceThatCannotBeOpenedIsAFailure) {
  ScopedEnv device("MINIVM_KVM_DEVICE", dir_.Mkdir("kvm"));  // a directory: EISDIR
  std::string why;
  EXPECT_EQ(CheckKvm(&why), KvmState::kUnusable);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "cannot be opened", why);
}

TEST_F(KvmCheckTest, OpenableDeviceIsUsable) {
  ScopedEnv device("MINIVM_KVM_DEVICE", dir_.Write("kvm", ""));
  std::string why = "stale";
  EXPECT_EQ(CheckKvm(&why), KvmState::kUsable);
  EXPECT_EQ(why, "");
}

TEST(KvmRequiredTest, OnlyTheValue1Requires) {
  {
    ScopedEnv require("MINIVM_REQUIRE_KVM", "1");
    EXPECT_TRUE(KvmRequired());
  }
  {
    ScopedEnv require("MINIVM_REQUIRE_KVM", "0");
    EXPECT_FALSE(KvmRequired());
  }
  ScopedEnv require("MINIVM_REQUIRE_KVM", nullptr);
  EXPECT_FALSE(KvmRequired());
}

TEST(ScopedEnvTest, RestoresOrUnsets) {
  ScopedEnv outer("MINIVM_TEST_SCOPED", "outer");
  {
    ScopedEnv inner("MINIVM_TEST_SCOPED", nullptr);
    EXPECT_EQ(getenv("MINIVM_TEST_SCOPED"), nullptr);
    ScopedEnv fresh("MINIVM_TEST_FRESH", "x");
    EXPECT_STREQ(getenv("MINIVM_TEST_FRESH"), "x");
  }
  EXPECT_STREQ(getenv("MINIVM_TEST_SCOPED"), "outer");
  EXPECT_EQ(getenv("MINIVM_TEST_FRESH"), nullptr);
}

TEST(TempDirTest, CreatesAndRemovesEverything) {
  std::string path;
  {
    TempDir dir;
    path = dir.path();
    std::string file = dir.Write("a/b/c.txt", "hi", 0600);
    struct stat st;
    ASSERT_EQ(stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(st.st_size, 2);
    dir.Symlink("link", "/nonexistent");
    dir.Mkdir("x/y");
  }
  EXPECT_NE(access(path.c_str(), F_OK), 0) << path << " left behind";
}

}  // namespace
}  // namespace minivm_test

// The root is the guest's "/" with chroot semantics, as on Linux: ".." stops
// at the root, absolute symlinks resolve inside it, nothing outside it is
// reachable; *at() calls and the working directory follow the same rules.
#include <string>

#include "gtest/gtest.h"
#include "tests/e2e_devices/guest_runner.h"
#include "tests/support/kvm_required.h"

namespace minivm_test {
namespace {

class RootPathsTest : public testing::Test {
 protected:
  void SetUp() override {
    MINIVM_NEED_KVM();
    guest_.root().Write("etc/passwd", "guest passwd\n");
    guest_.root().Write("top.txt", "top\n");
    guest_.root().Write("dir/f.txt", "f\n");
    guest_.root().Symlink("abs_link", "/etc/passwd");
    guest_.root().Symlink("dir/link_up", "/");
    secret_ = outside_.Write("secret.txt", "host secret\n");
    guest_.root().Symlink("host_link", secret_);
  }

  TempDir outside_;
  std::string secret_;
  GuestRunner guest_{nullptr};
};

TEST_F(RootPathsTest, DotDotStopsAtTheRoot) {
  RunResult r = guest_.Run(kBusybox, {"cat", "../../etc/passwd", "/../etc/passwd"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out, "guest passwd\nguest passwd\n");
}

TEST_F(RootPathsTest, AbsoluteSymlinksResolveInsideTheRoot) {
  RunResult r = guest_.Run(kBusybox, {"cat", "abs_link"});
  EXPECT_TRUE(r.exited && r.status == 0) << r;
  EXPECT_EQ(r.out, "guest passwd\n") << "the root's /etc/passwd, not the host's";
}

TEST_F(RootPathsTest, NothingOutsideIsReachable) {
  for (const std::string& path : {secret_, std::string("host_link"),
                                   std::string("../../../") + secret_}) {
    RunResult r = guest_.Run(kBusybox, {"cat", path});
    ASSERT_TRUE(r.exited) << r;
    EXPECT_EQ(r.status, 1) << path << ": " << r;
    EXPECT_EQ(r.out, "") << path;
    EXPECT_NE(r.err.find("No such file or directory"), std::string::npos) << path << ": " << r;
  }
}

TEST_F(RootPathsTest, AtCallsAndTheWorkingDirectory) {
  const std::string expected =
      "openat(dir, f.txt): f\n"
      "openat(dir, ../top.txt): top\n"
      "openat(dir, ../../../top.txt): top\n"
      "openat(dir, /top.txt): top\n"
      "fstatat(dir, f.txt): found\n"
      "openat(file fd, x): ENOTDIR\n"
      "getcwd: /dir\n"
      "open(f.txt): f\n"
      "open(link_up/top.txt): top\n"
      "open(link_up/../../top.txt): top\n"
      "getcwd: /\n"
      "open(dir/f.txt): f\n";
  for (const char* program : {"at_paths", "at_paths_musl"}) {
    RunResult r = guest_.Run(program);
    ASSERT_TRUE(r.exited) << r;
    EXPECT_EQ(r.status, 0) << program << ": " << r;
    EXPECT_EQ(r.out, expected) << program;
  }
}

}  // namespace
}  // namespace minivm_test

// More host directories in the guest tree (--mount, issue 12): each is shown
// at its guest path, read-only unless :rw, confined to its own directory; a
// path resolves across mounts as on Linux (symlinks and ".." cross from one
// to another, a rename or hard link between two is EXDEV); the working
// directory follows where minivm starts, or --workdir.
#include <sys/stat.h>

#include <string>

#include "gtest/gtest.h"
#include "tests/e2e_devices/guest_runner.h"
#include "tests/support/kvm_required.h"

namespace minivm_test {
namespace {

class MountsTest : public testing::Test {
 protected:
  void SetUp() override {
    MINIVM_NEED_KVM();
    guest_.root().Write("top.txt", "top\n");
    guest_.root().Symlink("to_data", "/data/inside.txt");
    guest_.root().Mkdir("sub");
    data_.Write("inside.txt", "inside\n");
    data_.Write("deep/file.txt", "deep\n");
    data_.Symlink("up", "../top.txt");        // leaves the mount: into the root
    data_.Symlink("abs_top", "/top.txt");     // absolute: the guest's root
    data_.Symlink("deep/sibling", "../inside.txt");  // stays inside the mount
    secret_ = outside_.Write("secret.txt", "host secret\n");
    data_.Symlink("host_link", secret_);      // a host path: not reachable
    guest_.set_flags({"--mount", data_.path() + ":/data"});
  }

  RunResult Sh(const std::string& script) { return guest_.Run(kBusybox, {"sh", "-c", script}); }

  TempDir outside_;
  std::string secret_;
  TempDir data_;
  GuestRunner guest_{nullptr};
};

TEST_F(MountsTest, AMountIsSeenAtItsGuestPath) {
  RunResult r = guest_.Run(kBusybox, {"cat", "/data/inside.txt", "/data/deep/file.txt"});
  EXPECT_TRUE(r.exited && r.status == 0) << r;
  EXPECT_EQ(r.out, "inside\ndeep\n");
}

TEST_F(MountsTest, SymlinksAndDotDotCrossMounts) {
  RunResult r = guest_.Run(kBusybox, {"cat", "/to_data", "/data/up", "/data/abs_top",
                                      "/data/deep/sibling", "/data/../top.txt",
                                      "/data/deep/../../top.txt"});
  EXPECT_TRUE(r.exited && r.status == 0) << r;
  EXPECT_EQ(r.out, "inside\ntop\ntop\ninside\ntop\ntop\n");
}

TEST_F(MountsTest, NothingOutsideTheMountsIsReachable) {
  RunResult r = guest_.Run(kBusybox, {"cat", "/data/host_link"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 1) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("No such file or directory"), std::string::npos) << r;
}

TEST_F(MountsTest, ReadOnlyUnlessRw) {
  RunResult ro = Sh("echo x > /data/new.txt");
  EXPECT_TRUE(ro.exited && ro.status != 0) << ro;
  EXPECT_NE(ro.err.find("Read-only file system"), std::string::npos) << ro;
  struct stat st;
  EXPECT_NE(stat((data_.path() + "/new.txt").c_str(), &st), 0);

  guest_.set_flags({"--mount", data_.path() + ":/data:rw"});
  RunResult rw = Sh("echo written > /data/new.txt && cat /data/new.txt");
  EXPECT_TRUE(rw.exited && rw.status == 0) << rw;
  EXPECT_EQ(rw.out, "written\n");
  EXPECT_EQ(stat((data_.path() + "/new.txt").c_str(), &st), 0);
}

TEST_F(MountsTest, LinksBetweenMountsAreCrossDevice) {
  guest_.set_flags({"--rw", "--mount", data_.path() + ":/data:rw"});
  RunResult r = guest_.Run(kBusybox, {"ln", "/data/inside.txt", "/hard.txt"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 1) << r;
  EXPECT_NE(r.err.find("Invalid cross-device link"), std::string::npos) << r;
}

TEST_F(MountsTest, WorkingDirectoryFollowsTheHostOrWorkdir) {
  guest_.set_cwd(guest_.root().path() + "/sub");
  RunResult from_sub = guest_.Run(kBusybox, {"pwd"});
  EXPECT_TRUE(from_sub.exited && from_sub.status == 0) << from_sub;
  EXPECT_EQ(from_sub.out, "/sub\n") << "the host's current directory, seen through the root";

  guest_.set_cwd(outside_.path());
  RunResult from_outside = guest_.Run(kBusybox, {"pwd"});
  EXPECT_EQ(from_outside.out, "/\n") << "outside the root: /";

  guest_.set_flags({"--mount", data_.path() + ":/data", "--workdir", "/data/deep"});
  RunResult workdir = guest_.Run(kBusybox, {"sh", "-c", "pwd; cat file.txt ../inside.txt"});
  EXPECT_TRUE(workdir.exited && workdir.status == 0) << workdir;
  EXPECT_EQ(workdir.out, "/data/deep\ndeep\ninside\n");

  // Where minivm starts may not exist in the guest's tree (the guest's /tmp
  // is its own tmpfs): the program then starts in /.
  guest_.root().Mkdir("tmp/work");
  guest_.set_cwd(guest_.root().path() + "/tmp/work");
  guest_.set_flags({});
  RunResult under_tmpfs = guest_.Run(kBusybox, {"pwd"});
  EXPECT_TRUE(under_tmpfs.exited && under_tmpfs.status == 0) << under_tmpfs;
  EXPECT_EQ(under_tmpfs.out, "/\n");
  guest_.set_flags({"--tmpfs", "/dev/shm"});
  RunResult root_tmp = guest_.Run(kBusybox, {"pwd"});
  EXPECT_EQ(root_tmp.out, "/tmp/work\n") << "with no tmpfs at /tmp, the root's /tmp";

  guest_.set_flags({"--workdir", "/no/such/dir"});
  RunResult missing = guest_.Run(kBusybox, {"pwd"});
  EXPECT_TRUE(missing.exited && missing.status == 125) << missing;
  EXPECT_NE(missing.err.find("minivm: working directory /no/such/dir: does not exist in the guest"),
            std::string::npos)
      << missing;
}

TEST_F(MountsTest, AMissingHostDirectoryIsNamed) {
  guest_.set_flags({"--mount", outside_.path() + "/nope:/x"});
  RunResult r = guest_.Run(kBusybox, {"true"});
  EXPECT_TRUE(r.exited && r.status == 125) << r;
  EXPECT_NE(r.err.find("is not a host directory (it does not exist)"), std::string::npos) << r;
}

}  // namespace
}  // namespace minivm_test

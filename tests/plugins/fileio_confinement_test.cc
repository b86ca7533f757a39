// A fileio device serves one host directory (a mount's top, "/" for the
// root) and resolves every path strictly beneath it, enforced by
// openat2(RESOLVE_BENEATH) itself: a ".." or a symlink that would leave it is
// EXDEV (the guest kernel then resolves the path across its own mounts, with
// chroot semantics), and with FILEIO_RESOLVE_NO_SYMLINKS any symlink is ELOOP.
// Nothing outside the directory is ever read, written or created, and /proc
// magic links are refused.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "tests/plugins/fileio_fixture.h"

namespace {

// A decoy inside the root at the name each escape would reach there.
class FileioRootTest : public FileioTest {
 protected:
  void SetUp() override {
    FileioTest::SetUp();
    WriteHostFile(HostPath("secret"), "decoy\n");
  }

  std::string ReadAll(const std::string &path) {
    int64_t h = Open(path, O_RDONLY);
    if (h < 0) return "error " + std::to_string(h);
    std::string out;
    Read(h, 256, &out);
    Close(h);
    return out;
  }
};

TEST_F(FileioRootTest, DotDotLeavingTheTopIsExdev) {
  Load(false);
  EXPECT_EQ(ReadAll("../secret"), "error " + std::to_string(-EXDEV));
  EXPECT_EQ(ReadAll("/../secret"), "error " + std::to_string(-EXDEV));
  EXPECT_EQ(ReadAll("dir/../../../secret"), "error " + std::to_string(-EXDEV));
  EXPECT_EQ(ReadAll("/dir/../hello.txt"), "hello, world\n") << ".. that stays beneath";
  EXPECT_EQ(Open("../../missing", O_RDONLY), -EXDEV);
  fileio_stat st;
  EXPECT_EQ(Stat("..", 0, &st), -EXDEV);
  EXPECT_EQ(Access("../secret", F_OK), -EXDEV);
}

TEST_F(FileioTest, EscapesNeverReachOutside) {
  Load(false);
  EXPECT_EQ(Open("../secret", O_RDONLY), -EXDEV);
  EXPECT_EQ(Open("abs_link", O_RDONLY), -EXDEV) << "-> /etc/passwd";
  EXPECT_EQ(Open("abs_secret", O_RDONLY), -EXDEV) << "-> the real file outside";
  EXPECT_EQ(Open("rel_escape", O_RDONLY), -EXDEV) << "-> ../secret";
  EXPECT_EQ(Open("out_dir/secret", O_RDONLY), -EXDEV) << "directory link in the middle";
  fileio_stat st;
  EXPECT_EQ(Stat("abs_secret", 0, &st), -EXDEV);
  std::string target;
  EXPECT_EQ(Readlink("out_dir/secret", &target), -EXDEV);
}

TEST_F(FileioRootTest, SymlinksBeneathTheTopResolveThere) {
  Load(false);
  EXPECT_EQ(ReadAll("inner_link"), "inner\n") << "relative links inside the root";
  EXPECT_EQ(Open("abs_link", O_RDONLY | O_NOFOLLOW), -ELOOP);
  fileio_stat st;
  EXPECT_EQ(Stat("abs_link", AT_SYMLINK_NOFOLLOW, &st), 0) << "the link itself";
  std::string target;
  EXPECT_EQ(Readlink("abs_link", &target), 11);
  EXPECT_EQ(target, "/etc/passwd") << "the guest kernel follows it";
}

TEST_F(FileioTest, NoSymlinksAsksForElooAtAnyLink) {
  Load(false);
  fileio_args a = PathArgs(FILEIO_OP_OPEN, "inner_link");
  a.resolve = FILEIO_RESOLVE_NO_SYMLINKS;
  EXPECT_EQ(Call(a), -ELOOP);
  a = PathArgs(FILEIO_OP_OPEN, "dir/inner.txt");
  a.resolve = FILEIO_RESOLVE_NO_SYMLINKS;
  EXPECT_GE(Call(a), 0) << "no link on the way";
  a = PathArgs(FILEIO_OP_STAT, "inner_link");
  a.resolve = FILEIO_RESOLVE_NO_SYMLINKS;
  a.flags = AT_SYMLINK_NOFOLLOW;
  EXPECT_EQ(Call(a), 0) << "the last link itself, not followed";
  a = PathArgs(FILEIO_OP_OPEN, "hello.txt");
  a.resolve = 2;
  EXPECT_EQ(Call(a), -EINVAL) << "an unknown resolve bit";
}

TEST_F(FileioTest, ModifyingOpsStayBeneathTheTop) {
  Load(true);
  EXPECT_EQ(Unlink("../secret"), -EXDEV);
  EXPECT_EQ(Unlink("out_dir/secret"), -EXDEV);
  EXPECT_EQ(Mkdir("out_dir/newdir"), -EXDEV);
  EXPECT_EQ(Rename("out_dir/secret", "stolen"), -EXDEV);
  EXPECT_EQ(Rename("hello.txt", "../stolen"), -EXDEV);
  EXPECT_EQ(Open("out_dir/created", O_WRONLY | O_CREAT, 0644), -EXDEV);
  EXPECT_EQ(Open("abs_secret", O_WRONLY | O_TRUNC), -EXDEV);
  std::string name = "created_by_minivm_test";
  ASSERT_EQ(symlink(("/" + name).c_str(), HostPath("abs_create").c_str()), 0);
  EXPECT_EQ(Open("abs_create", O_WRONLY | O_CREAT, 0644), -EXDEV);
  EXPECT_FALSE(HostExists(HostPath(name)));
  EXPECT_FALSE(HostExists("/" + name));
  // Nothing outside the root changed.
  EXPECT_EQ(ReadHostFile(base_ + "/secret"), "outside\n");
  EXPECT_FALSE(HostExists(base_ + "/stolen"));
  EXPECT_FALSE(HostExists(base_ + "/newdir"));
  EXPECT_FALSE(HostExists(base_ + "/created"));
  // The last component is acted on without following it: removing the link
  // removes the link, not its target.
  EXPECT_EQ(Unlink("abs_secret"), 0);
  EXPECT_TRUE(HostExists(base_ + "/secret"));
}

TEST_F(FileioTest, MountInfoNamesTheMountPointAndMode) {
  host_.SetConfig("at", "/usr/lib");
  host_.SetConfig("rw", "true");
  Load(false);  // the key wins over the VM's read-only root
  fileio_args a{};
  a.hdr.op = FILEIO_OP_MOUNT_INFO;
  a.nseg = 1;
  a.seg[0] = {kData, 64};
  int64_t r = Call(a);
  ASSERT_GE(r, 0);
  EXPECT_EQ(r & FILEIO_MOUNT_WRITABLE, FILEIO_MOUNT_WRITABLE);
  EXPECT_EQ(host_.Peek(kData, r & 0xffff), "/usr/lib");
  EXPECT_GE(Open("new.txt", O_WRONLY | O_CREAT, 0644), 0);
}

TEST_F(FileioTest, TheRootIsMountedAtSlashByDefault) {
  Load(false);
  fileio_args a{};
  a.hdr.op = FILEIO_OP_MOUNT_INFO;
  a.nseg = 1;
  a.seg[0] = {kData, 64};
  EXPECT_EQ(Call(a), 1);
  EXPECT_EQ(host_.Peek(kData, 1), "/");
}

TEST_F(FileioTest, MountPointsMustBeNormalizedAbsolutePaths) {
  for (const char *bad : {"usr", "/usr/", "/usr//lib", "/usr/./lib", "/usr/../etc", ""}) {
    FakeHost host;
    host.SetVmSetting("root", root_);
    host.SetVmSetting("rw", "0");
    host.SetConfig("at", bad);
    EXPECT_NE(host.Load("plugins/fileio/fileio.so"), 0) << bad;
  }
}

TEST_F(FileioTest, LastComponentMustBeAPlainName) {
  Load(true);
  EXPECT_EQ(Unlink("dir/.."), -EINVAL);
  EXPECT_EQ(Unlink("dir/."), -EINVAL);
  EXPECT_EQ(Unlink("/"), -EINVAL);
  EXPECT_EQ(Mkdir(".."), -EINVAL);
  EXPECT_EQ(Rename("dir", "///"), -EINVAL);
  EXPECT_EQ(Unlink(""), -ENOENT);
  EXPECT_TRUE(HostExists(HostPath("dir")));
}

TEST_F(FileioTest, PathsStartAtTheRootWhateverTheDirHandle) {
  // The guest kernel sends absolute paths; `dir` no longer names a start
  // directory, so a relative path is taken from the root.
  Load(false);
  int64_t d = Open("dir", O_RDONLY | O_DIRECTORY);
  ASSERT_GE(d, 0);
  EXPECT_GE(Open("hello.txt", O_RDONLY, 0, static_cast<int32_t>(d)), 0);
  EXPECT_EQ(Open("inner.txt", O_RDONLY, 0, static_cast<int32_t>(d)), -ENOENT);
}

TEST_F(FileioTest, ProcMagicLinksAreRefused) {
  if (access("/proc/self/exe", F_OK) != 0) GTEST_SKIP() << "no /proc here";
  Load(false, "/");
  // Plain procfs files resolve (so the refusals below are about magic links)...
  int64_t h = Open("/proc/self/status", O_RDONLY);
  EXPECT_GE(h, 0);
  // ...while the links that jump to arbitrary files, fds and roots do not.
  EXPECT_EQ(Open("/proc/self/exe", O_RDONLY), -ELOOP);
  EXPECT_EQ(Open("/proc/self/fd/0", O_RDONLY), -ELOOP);
  EXPECT_EQ(Open("/proc/self/root/etc/passwd", O_RDONLY), -ELOOP);
  EXPECT_EQ(Open("/proc/self/cwd", O_PATH), -ELOOP);
  fileio_stat st;
  EXPECT_EQ(Stat("/proc/self/exe", 0, &st), -ELOOP);
}

}  // namespace

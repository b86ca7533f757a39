// The root is the guest's "/", with chroot semantics like Linux's: ".." at
// the root stays there and absolute symlinks restart at the root, so names
// that would leave it land inside it instead (ENOENT when absent there).
// Nothing outside the root is ever read, written or created, and /proc magic
// links are refused — all enforced by openat2(RESOLVE_IN_ROOT) itself.
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

TEST_F(FileioRootTest, DotDotStopsAtTheRoot) {
  Load(false);
  EXPECT_EQ(ReadAll("../secret"), "decoy\n") << "<root>/secret, not the one outside";
  EXPECT_EQ(ReadAll("/../secret"), "decoy\n");
  EXPECT_EQ(ReadAll("dir/../../../secret"), "decoy\n");
  EXPECT_EQ(ReadAll("/dir/../hello.txt"), "hello, world\n");
  EXPECT_EQ(Open("../../missing", O_RDONLY), -ENOENT);
  fileio_stat root_st, up_st;
  ASSERT_EQ(Stat("/", 0, &root_st), 0);
  ASSERT_EQ(Stat("..", 0, &up_st), 0);
  EXPECT_EQ(up_st.ino, root_st.ino) << "/.. is /";
  EXPECT_EQ(Access("../secret", F_OK), 0);
}

TEST_F(FileioTest, AbsentTargetsAreMissingInsideTheRoot) {
  Load(false);  // no decoys: every escape ends at a name absent from the root
  EXPECT_EQ(Open("../secret", O_RDONLY), -ENOENT);
  EXPECT_EQ(Open("abs_link", O_RDONLY), -ENOENT) << "-> /etc/passwd is <root>/etc/passwd";
  EXPECT_EQ(Open("abs_secret", O_RDONLY), -ENOENT) << "-> the real file outside";
  EXPECT_EQ(Open("out_dir/secret", O_RDONLY), -ENOENT) << "directory link in the middle";
  fileio_stat st;
  EXPECT_EQ(Stat("abs_secret", 0, &st), -ENOENT);
}

TEST_F(FileioRootTest, AbsoluteSymlinksResolveInsideTheRoot) {
  ASSERT_EQ(mkdir(HostPath("etc").c_str(), 0755), 0);
  WriteHostFile(HostPath("etc/passwd"), "guest passwd\n");
  Load(false);
  EXPECT_EQ(ReadAll("abs_link"), "guest passwd\n") << "-> /etc/passwd: the root's, not the host's";
  EXPECT_EQ(ReadAll("rel_escape"), "decoy\n") << "-> ../secret";
  EXPECT_EQ(ReadAll("inner_link"), "inner\n") << "relative links inside the root";
  EXPECT_EQ(Open("abs_link", O_RDONLY | O_NOFOLLOW), -ELOOP);
}

TEST_F(FileioTest, ModifyingOpsStayInsideTheRoot) {
  Load(true);
  EXPECT_EQ(Unlink("../secret"), -ENOENT);
  EXPECT_EQ(Unlink("out_dir/secret"), -ENOENT);
  EXPECT_EQ(Mkdir("out_dir/newdir"), -ENOENT);
  EXPECT_EQ(Rename("out_dir/secret", "stolen"), -ENOENT);
  EXPECT_EQ(Open("out_dir/created", O_WRONLY | O_CREAT, 0644), -ENOENT);
  EXPECT_EQ(Open("abs_secret", O_WRONLY | O_TRUNC), -ENOENT);
  // Renaming to "../stolen" renames to <root>/stolen.
  EXPECT_EQ(Rename("hello.txt", "../stolen"), 0);
  EXPECT_EQ(ReadHostFile(HostPath("stolen")), "hello, world\n");
  // Creating through an absolute symlink creates its target inside the root.
  std::string name = "created_by_minivm_test";
  ASSERT_EQ(symlink(("/" + name).c_str(), HostPath("abs_create").c_str()), 0);
  int64_t h = Open("abs_create", O_WRONLY | O_CREAT, 0644);
  EXPECT_GE(h, 0);
  EXPECT_TRUE(HostExists(HostPath(name)));
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

// No guest path reaches outside the root: "..", absolute and relative symlinks
// that leave it, and /proc magic links are all refused by openat2 itself.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "tests/plugins/fileio_fixture.h"

namespace {

TEST_F(FileioTest, DotDotCannotLeaveTheRoot) {
  Load(false);
  EXPECT_EQ(Open("../secret", O_RDONLY), -EXDEV);
  EXPECT_EQ(Open("/../secret", O_RDONLY), -EXDEV) << "absolute means from the root";
  EXPECT_EQ(Open("dir/../../secret", O_RDONLY), -EXDEV);
  EXPECT_EQ(Open("/dir/../hello.txt", O_RDONLY), 0) << ".. inside the root is fine";
  fileio_stat st;
  EXPECT_EQ(Stat("..", 0, &st), -EXDEV);
  EXPECT_EQ(Access("../secret", F_OK), -EXDEV);
}

TEST_F(FileioTest, SymlinksCannotLeaveTheRoot) {
  Load(false);
  EXPECT_EQ(Open("abs_link", O_RDONLY), -EXDEV) << "-> /etc/passwd";
  EXPECT_EQ(Open("abs_secret", O_RDONLY), -EXDEV) << "-> the real file outside";
  EXPECT_EQ(Open("rel_escape", O_RDONLY), -EXDEV) << "-> ../secret";
  EXPECT_EQ(Open("out_dir/secret", O_RDONLY), -EXDEV) << "directory link in the middle";
  fileio_stat st;
  EXPECT_EQ(Stat("abs_secret", 0, &st), -EXDEV);
  EXPECT_EQ(Open("inner_link", O_RDONLY), 0) << "links inside the root work";
  EXPECT_EQ(Open("abs_link", O_RDONLY | O_NOFOLLOW), -ELOOP);
}

TEST_F(FileioTest, ModifyingOpsCannotLeaveTheRoot) {
  Load(true);
  EXPECT_EQ(Unlink("../secret"), -EXDEV);
  EXPECT_EQ(Unlink("out_dir/secret"), -EXDEV);
  EXPECT_EQ(Mkdir("out_dir/newdir"), -EXDEV);
  EXPECT_EQ(Rename("hello.txt", "../stolen"), -EXDEV);
  EXPECT_EQ(Rename("out_dir/secret", "stolen"), -EXDEV);
  EXPECT_EQ(Open("out_dir/created", O_WRONLY | O_CREAT, 0644), -EXDEV);
  EXPECT_EQ(Open("abs_secret", O_WRONLY | O_TRUNC), -EXDEV);
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

TEST_F(FileioTest, DirectoryHandlesConfineToThemselves) {
  // RESOLVE_BENEATH is relative to the start directory: ".." above a
  // directory handle is refused even inside the root (design.md §5).
  Load(false);
  int64_t d = Open("dir", O_RDONLY | O_DIRECTORY);
  ASSERT_GE(d, 0);
  EXPECT_EQ(Open("../hello.txt", O_RDONLY, 0, static_cast<int32_t>(d)), -EXDEV);
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

// fileio in a read-only VM refuses every change with EROFS; in a writable VM
// it creates, writes, renames, truncates, touches and removes.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "tests/plugins/fileio_fixture.h"

namespace {

TEST_F(FileioTest, ReadOnlyVmRefusesEveryChange) {
  Load(false);
  EXPECT_EQ(Open("hello.txt", O_WRONLY), -EROFS);
  EXPECT_EQ(Open("hello.txt", O_RDWR), -EROFS);
  EXPECT_EQ(Open("hello.txt", O_RDONLY | O_TRUNC), -EROFS);
  EXPECT_EQ(Open("hello.txt", O_RDONLY | O_APPEND), -EROFS);
  EXPECT_EQ(Open("new.txt", O_RDONLY | O_CREAT, 0644), -EROFS);
  EXPECT_EQ(Unlink("hello.txt"), -EROFS);
  EXPECT_EQ(Unlink("dir", AT_REMOVEDIR), -EROFS);
  EXPECT_EQ(Mkdir("newdir"), -EROFS);
  EXPECT_EQ(Rename("hello.txt", "moved.txt"), -EROFS);
  EXPECT_EQ(TwoPaths(FILEIO_OP_SYMLINK, "ln", "hello.txt"), -EROFS);
  EXPECT_EQ(TwoPaths(FILEIO_OP_LINK, "hello.txt", "hard.txt"), -EROFS);
  EXPECT_EQ(Access("hello.txt", W_OK), -EROFS);
  EXPECT_EQ(Access("hello.txt", R_OK), 0);

  int64_t h = Open("hello.txt", O_RDONLY);
  ASSERT_GE(h, 0);
  EXPECT_EQ(Write(h, "x"), -EBADF) << "a read-only handle";
  fileio_args a{};
  a.hdr.op = FILEIO_OP_FTRUNCATE;
  a.handle = static_cast<int32_t>(h);
  EXPECT_EQ(Call(a), -EROFS);
  a = PathArgs(FILEIO_OP_UTIMENS, "hello.txt");
  a.times[1] = a.times[3] = UTIME_NOW;
  EXPECT_EQ(Call(a), -EROFS);

  EXPECT_EQ(ReadHostFile(HostPath("hello.txt")), "hello, world\n");
  EXPECT_FALSE(HostExists(HostPath("new.txt")));
  EXPECT_FALSE(HostExists(HostPath("newdir")));
  EXPECT_FALSE(HostExists(HostPath("ln")));
  EXPECT_FALSE(HostExists(HostPath("hard.txt")));
}

TEST_F(FileioTest, WritableVmMakesSymbolicAndHardLinks) {
  Load(true);
  EXPECT_EQ(TwoPaths(FILEIO_OP_SYMLINK, "/ln", "hello.txt"), 0);
  char target[64] = {};
  ASSERT_GT(readlink(HostPath("ln").c_str(), target, sizeof target - 1), 0);
  EXPECT_STREQ(target, "hello.txt") << "the target is stored as given";
  EXPECT_EQ(TwoPaths(FILEIO_OP_SYMLINK, "ln", "x"), -EEXIST);
  EXPECT_EQ(TwoPaths(FILEIO_OP_SYMLINK, "empty", ""), -ENOENT);

  // An absolute target is text too; the host never follows it out of the root.
  EXPECT_EQ(TwoPaths(FILEIO_OP_SYMLINK, "abs", "/etc/passwd"), 0);
  EXPECT_EQ(Open("abs", O_RDONLY), -EXDEV) << "the host's /etc/passwd is not reachable";

  EXPECT_EQ(TwoPaths(FILEIO_OP_LINK, "hello.txt", "dir/hard.txt"), 0);
  struct stat a_st, b_st;
  ASSERT_EQ(stat(HostPath("hello.txt").c_str(), &a_st), 0);
  ASSERT_EQ(stat(HostPath("dir/hard.txt").c_str(), &b_st), 0);
  EXPECT_EQ(a_st.st_ino, b_st.st_ino);
  EXPECT_EQ(TwoPaths(FILEIO_OP_LINK, "missing", "h2"), -ENOENT);
  EXPECT_EQ(TwoPaths(FILEIO_OP_LINK, "../../hello.txt", "h3"), -EXDEV) << ".. leaves the root";
  EXPECT_FALSE(HostExists(HostPath("h3")));
}

TEST_F(FileioTest, WritableVmCreatesWritesAndTruncates) {
  Load(true);
  int64_t h = Open("/new.txt", O_WRONLY | O_CREAT | O_EXCL, 0640);
  ASSERT_GE(h, 0);
  EXPECT_EQ(Write(h, "hello"), 5);
  EXPECT_EQ(Write(h, "J", 0), 1) << "pwrite";
  EXPECT_EQ(Write(h, "!"), 1) << "at the file position, after the pwrite";
  EXPECT_EQ(ReadHostFile(HostPath("new.txt")), "Jello!");
  struct stat st;
  ASSERT_EQ(stat(HostPath("new.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777 & ~0640, 0u) << "mode (less the umask) applies";
  EXPECT_EQ(Open("/new.txt", O_WRONLY | O_CREAT | O_EXCL, 0640), -EEXIST);

  fileio_args a{};
  a.hdr.op = FILEIO_OP_FTRUNCATE;
  a.handle = static_cast<int32_t>(h);
  a.offset = 2;
  EXPECT_EQ(Call(a), 0);
  EXPECT_EQ(ReadHostFile(HostPath("new.txt")), "Je");
  a.offset = -1;
  EXPECT_EQ(Call(a), -EINVAL);
  a.hdr.op = FILEIO_OP_FSYNC;
  EXPECT_EQ(Call(a), 0);
  EXPECT_EQ(Close(h), 0);

  h = Open("hello.txt", O_WRONLY | O_APPEND);
  ASSERT_GE(h, 0);
  EXPECT_EQ(Write(h, "more\n"), 5);
  EXPECT_EQ(ReadHostFile(HostPath("hello.txt")), "hello, world\nmore\n");
  h = Open("hello.txt", O_RDWR | O_TRUNC);
  ASSERT_GE(h, 0);
  EXPECT_EQ(ReadHostFile(HostPath("hello.txt")), "");
}

TEST_F(FileioTest, WritableVmMakesRenamesAndRemoves) {
  Load(true);
  EXPECT_EQ(Mkdir("/sub", 0750), 0);
  struct stat st;
  ASSERT_EQ(stat(HostPath("sub").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(Mkdir("sub/"), -EEXIST) << "trailing slash names the same directory";

  EXPECT_EQ(Rename("hello.txt", "sub/moved.txt"), 0);
  EXPECT_FALSE(HostExists(HostPath("hello.txt")));
  EXPECT_EQ(ReadHostFile(HostPath("sub/moved.txt")), "hello, world\n");

  fileio_args a = PathArgs(FILEIO_OP_RENAME, "dir/inner.txt");
  host_.Poke(kPath2, "sub/moved.txt");
  a.dir2 = FILEIO_DIR_ROOT;
  a.path2_gpa = kPath2;
  a.path2_len = 13;
  a.flags = RENAME_NOREPLACE;
  EXPECT_EQ(Call(a), -EEXIST);
  a.flags = 0x100;
  EXPECT_EQ(Call(a), -EINVAL) << "unknown rename flag";

  EXPECT_EQ(Unlink("sub", AT_REMOVEDIR), -ENOTEMPTY);
  EXPECT_EQ(Unlink("sub/moved.txt"), 0);
  EXPECT_EQ(Unlink("sub"), -EISDIR);
  EXPECT_EQ(Unlink("sub", AT_REMOVEDIR), 0);
  EXPECT_FALSE(HostExists(HostPath("sub")));
  EXPECT_EQ(Unlink("hello.txt", 0x1), -EINVAL) << "unknown unlink flag";

  a = PathArgs(FILEIO_OP_MKDIR, "/dir/made_in_dir");
  a.mode = 0700;
  EXPECT_EQ(Call(a), 0);
  EXPECT_TRUE(HostExists(HostPath("dir/made_in_dir")));
}

TEST_F(FileioTest, UtimensSetsTimesByPathOrHandle) {
  Load(true);
  fileio_args a = PathArgs(FILEIO_OP_UTIMENS, "hello.txt");
  a.times[0] = 1000;
  a.times[1] = 5;
  a.times[2] = 2000;
  a.times[3] = 7;
  EXPECT_EQ(Call(a), 0);
  fileio_stat st{};
  ASSERT_EQ(Stat("hello.txt", 0, &st), 0);
  EXPECT_EQ(st.atime_sec, 1000);
  EXPECT_EQ(st.atime_nsec, 5);
  EXPECT_EQ(st.mtime_sec, 2000);
  EXPECT_EQ(st.mtime_nsec, 7);

  int64_t h = Open("hello.txt", O_RDONLY);
  ASSERT_GE(h, 0);
  a = fileio_args{};
  a.hdr.op = FILEIO_OP_UTIMENS;
  a.handle = static_cast<int32_t>(h);
  a.times[1] = UTIME_OMIT;
  a.times[2] = 3000;
  EXPECT_EQ(Call(a), 0) << "empty path: the handle";
  ASSERT_EQ(Fstat(h, &st), 0);
  EXPECT_EQ(st.atime_sec, 1000) << "UTIME_OMIT";
  EXPECT_EQ(st.mtime_sec, 3000);

  a.times[3] = 1000000000;
  EXPECT_EQ(Call(a), -EINVAL) << "nsec out of range";
  a.times[3] = 0;
  a.handle = 99;
  EXPECT_EQ(Call(a), -EBADF);

  a = PathArgs(FILEIO_OP_UTIMENS, "abs_link");
  a.flags = AT_SYMLINK_NOFOLLOW;
  a.times[0] = 1;
  a.times[2] = 1;
  EXPECT_EQ(Call(a), 0) << "the link itself, not /etc/passwd";
  struct stat lst;
  ASSERT_EQ(lstat(HostPath("abs_link").c_str(), &lst), 0);
  EXPECT_EQ(lst.st_mtim.tv_sec, 1);
  a.flags = 0;
  EXPECT_EQ(Call(a), -EXDEV) << "followed: the target leaves the root";
}

}  // namespace

// fileio from its .so over a temporary root: reading files and directories,
// handles, and the checks on every guest-supplied path and segment.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <set>

#include "tests/plugins/fileio_fixture.h"

namespace {

TEST_F(FileioTest, RegistersItsPort) {
  Load(false);
  ASSERT_NE(host_.FindKind(FILEIO_KIND), nullptr);
  EXPECT_EQ(host_.FindKind(FILEIO_KIND)->base, kPort);
}

TEST_F(FileioTest, OpenReadFstatLseekClose) {
  Load(false);
  int64_t h = Open("/hello.txt", O_RDONLY);
  ASSERT_GE(h, 0);
  std::string got;
  EXPECT_EQ(Read(h, 5, &got), 5);
  EXPECT_EQ(got, "hello");
  EXPECT_EQ(Read(h, 100, &got), 8) << "continues at the file position";
  EXPECT_EQ(got, ", world\n");
  EXPECT_EQ(Read(h, 100, &got), 0) << "EOF";

  EXPECT_EQ(Read(h, 4, &got, 7), 4) << "pread at an offset";
  EXPECT_EQ(got, "worl");
  EXPECT_EQ(Lseek(h, 0, SEEK_CUR), 13) << "pread leaves the position alone";
  EXPECT_EQ(Lseek(h, 7, SEEK_SET), 7);
  EXPECT_EQ(Read(h, 5, &got), 5);
  EXPECT_EQ(got, "world");
  EXPECT_EQ(Lseek(h, -1, SEEK_END), 12);
  EXPECT_EQ(Lseek(h, 0, 99), -EINVAL);
  EXPECT_EQ(Read(h, 1, &got, -2), -EINVAL) << "offsets below -1";

  fileio_stat st{};
  ASSERT_EQ(Fstat(h, &st), 0);
  struct stat want;
  ASSERT_EQ(stat(HostPath("hello.txt").c_str(), &want), 0);
  EXPECT_EQ(st.size, 13);
  EXPECT_TRUE(S_ISREG(st.mode));
  EXPECT_EQ(st.mode, want.st_mode);
  EXPECT_EQ(st.ino, want.st_ino);
  EXPECT_EQ(st.mtime_sec, want.st_mtim.tv_sec);
  EXPECT_EQ(st.mtime_nsec, want.st_mtim.tv_nsec);

  EXPECT_EQ(Close(h), 0);
  EXPECT_EQ(Close(h), -EBADF) << "closed twice";
  EXPECT_EQ(Read(h, 1, &got), -EBADF) << "read after close";
}

TEST_F(FileioTest, ReadScattersIntoSeveralSegments) {
  Load(false);
  int64_t h = Open("hello.txt", O_RDONLY);
  ASSERT_GE(h, 0);
  fileio_args a{};
  a.hdr.op = FILEIO_OP_READ;
  a.handle = static_cast<int32_t>(h);
  a.offset = 0;
  a.nseg = 3;
  a.seg[0] = {kData, 2};
  a.seg[1] = {kData + 0x1000, 0};
  a.seg[2] = {kData + 0x2000, 100};
  EXPECT_EQ(Call(a), 13);
  EXPECT_EQ(host_.Peek(kData, 2), "he");
  EXPECT_EQ(host_.Peek(kData + 0x2000, 11), "llo, world\n");
}

TEST_F(FileioTest, BadSegmentsAreRefused) {
  Load(false);
  int64_t h = Open("hello.txt", O_RDONLY);
  ASSERT_GE(h, 0);
  fileio_args a{};
  a.hdr.op = FILEIO_OP_READ;
  a.handle = static_cast<int32_t>(h);
  a.offset = -1;
  a.nseg = 0;
  EXPECT_EQ(Call(a), -EINVAL) << "nseg 0";
  a.nseg = MINIVM_SG_MAX + 1;
  EXPECT_EQ(Call(a), -EINVAL) << "nseg too large";
  a.nseg = 1;
  a.seg[0] = {host_.ram_size() - 4, 16};
  EXPECT_EQ(Call(a), -EFAULT) << "runs past the end of RAM";
  a.seg[0] = {~0ull - 7, 16};
  EXPECT_EQ(Call(a), -EFAULT) << "gpa + len wraps";
  a.seg[0] = {0, MINIVM_HC_MAX_TRANSFER + 1};
  EXPECT_EQ(Call(a), -EINVAL) << "more than one hypercall may move";
  EXPECT_EQ(Lseek(h, 0, SEEK_CUR), 0) << "nothing was read";
}

TEST_F(FileioTest, BadHandlesAreEbadf) {
  Load(false);
  std::string got;
  for (int64_t h : {-1, 0, 5, 255, 256, 1 << 30}) {
    EXPECT_EQ(Read(h, 1, &got), -EBADF) << h;
    EXPECT_EQ(Close(h), -EBADF) << h;
    EXPECT_EQ(Lseek(h, 0, SEEK_SET), -EBADF) << h;
  }
  fileio_stat st;
  EXPECT_EQ(Fstat(77, &st), -EBADF);
}

TEST_F(FileioTest, PathsResolveFromTheRoot) {
  // The guest kernel sends absolute paths; a relative one starts at the root
  // too, and `dir` is not a starting point (fileio_abi.h).
  Load(false);
  int64_t h = Open("dir/inner.txt", O_RDONLY);
  ASSERT_GE(h, 0);
  std::string got;
  EXPECT_EQ(Read(h, 100, &got), 6);
  EXPECT_EQ(got, "inner\n");
  EXPECT_GE(Open("/dir/inner.txt", O_RDONLY, 0, 3), 0) << "dir is ignored, even no handle";
  EXPECT_EQ(Open("hello.txt/x", O_RDONLY), -ENOTDIR);
  EXPECT_EQ(Open("hello.txt/", O_RDONLY), -ENOTDIR);
}

TEST_F(FileioTest, PathChecks) {
  Load(false);
  EXPECT_EQ(Open("", O_RDONLY), -ENOENT);
  EXPECT_EQ(Open("missing", O_RDONLY), -ENOENT);
  EXPECT_EQ(Open(std::string("hello.txt\0x", 11), O_RDONLY), -EINVAL) << "embedded NUL";
  EXPECT_EQ(Open(std::string(FILEIO_PATH_MAX + 1, 'a'), O_RDONLY), -ENAMETOOLONG);
  fileio_args a = PathArgs(FILEIO_OP_OPEN, "hello.txt");
  a.path_gpa = host_.ram_size() - 3;
  EXPECT_EQ(Call(a), -EFAULT) << "path runs past the end of RAM";
  a.path_gpa = ~0ull - 2;
  EXPECT_EQ(Call(a), -EFAULT) << "path gpa + len wraps";
  a.path_len = ~0ull;
  EXPECT_EQ(Call(a), -ENAMETOOLONG);
  EXPECT_GE(Open("//dir///inner.txt", O_RDONLY), 0) << "repeated slashes";
}

TEST_F(FileioTest, UnsupportedOpenFlagsAreRefused) {
  Load(false);
  EXPECT_EQ(Open("hello.txt", O_RDONLY | O_ASYNC), -EINVAL) << "would aim SIGIO at the VMM";
  EXPECT_EQ(Open("hello.txt", O_RDONLY | O_DIRECT), -EINVAL);
  EXPECT_EQ(Open("hello.txt", O_ACCMODE), -EINVAL);
  EXPECT_EQ(Open("hello.txt", O_RDONLY | 0x80000000u), -EINVAL) << "unknown bit";
  EXPECT_EQ(Open("dir", O_TMPFILE | O_RDWR), -EOPNOTSUPP);
  // Linux's O_LARGEFILE (musl passes it; glibc's own O_LARGEFILE is 0 here).
  EXPECT_GE(Open("hello.txt", O_RDONLY | O_CLOEXEC | 0100000 | O_NOCTTY), 0);
  EXPECT_EQ(Open("hello.txt", O_RDONLY | O_DIRECTORY), -ENOTDIR);
}

TEST_F(FileioTest, FifosAndDevicesAreNotOpenedForIo) {
  ASSERT_EQ(mkfifo(HostPath("fifo").c_str(), 0644), 0);
  Load(false);
  // Without the O_NONBLOCK probe this would block the test forever.
  EXPECT_EQ(Open("fifo", O_RDONLY), -ENXIO);
  int64_t h = Open("fifo", O_PATH);
  ASSERT_GE(h, 0) << "O_PATH does no I/O and is allowed";
  std::string got;
  EXPECT_EQ(Read(h, 1, &got), -EBADF) << "no I/O through an O_PATH handle";
}

TEST_F(FileioTest, HandleTableIsBoundedByMaxOpen) {
  host_.SetConfig("max_open", "3");
  Load(true);
  int64_t h[3];
  for (int i = 0; i < 3; i++) {
    h[i] = Open("hello.txt", O_RDONLY);
    EXPECT_EQ(h[i], i);
  }
  EXPECT_EQ(Open("hello.txt", O_RDONLY), -EMFILE);
  EXPECT_EQ(Open("created", O_WRONLY | O_CREAT, 0644), -EMFILE);
  EXPECT_FALSE(HostExists(HostPath("created"))) << "a refused open leaves nothing behind";
  EXPECT_EQ(Close(h[1]), 0);
  EXPECT_EQ(Open("hello.txt", O_RDONLY), 1) << "the freed handle is reused";
  EXPECT_EQ(Open("hello.txt", O_RDONLY), -EMFILE);
}

TEST_F(FileioTest, StatFollowsOrNotAndSupportsEmptyPath) {
  Load(false);
  fileio_stat st{};
  EXPECT_EQ(Stat("/dir/inner.txt", 0, &st), 0);
  EXPECT_EQ(st.size, 6);
  EXPECT_TRUE(S_ISREG(st.mode));
  EXPECT_EQ(Stat("inner_link", 0, &st), 0);
  EXPECT_TRUE(S_ISREG(st.mode)) << "followed";
  EXPECT_EQ(Stat("inner_link", AT_SYMLINK_NOFOLLOW, &st), 0);
  EXPECT_TRUE(S_ISLNK(st.mode));
  EXPECT_EQ(st.size, 13) << "length of the link text";
  EXPECT_EQ(Stat("abs_link", AT_SYMLINK_NOFOLLOW, &st), 0) << "the link itself is in the root";
  EXPECT_TRUE(S_ISLNK(st.mode));

  EXPECT_EQ(Stat("", AT_EMPTY_PATH, &st), 0) << "the root itself";
  EXPECT_TRUE(S_ISDIR(st.mode));
  struct stat want;
  ASSERT_EQ(stat(root_.c_str(), &want), 0);
  EXPECT_EQ(st.ino, want.st_ino);
  int64_t h = Open("hello.txt", O_RDONLY);
  ASSERT_GE(h, 0);
  EXPECT_EQ(Stat("", AT_EMPTY_PATH, &st, static_cast<int32_t>(h)), 0) << "fstat via fstatat";
  EXPECT_EQ(st.size, 13);
  EXPECT_EQ(Stat("", 0, &st), -ENOENT);
  EXPECT_EQ(Stat("hello.txt", AT_REMOVEDIR, &st), -EINVAL) << "unknown flag";
  EXPECT_EQ(Stat("", AT_EMPTY_PATH, &st, 99), -EBADF);
}

TEST_F(FileioTest, AccessChecksExistenceAndMode) {
  Load(false);
  EXPECT_EQ(Access("hello.txt", F_OK), 0);
  EXPECT_EQ(Access("hello.txt", R_OK), 0);
  EXPECT_EQ(Access("missing", F_OK), -ENOENT);
  EXPECT_EQ(Access("missing", W_OK), -ENOENT) << "lookup errors come first";
  EXPECT_EQ(Access("hello.txt", 8), -EINVAL);
  EXPECT_EQ(Access("hello.txt", R_OK, AT_NO_AUTOMOUNT), -EINVAL) << "unsupported flag";
  EXPECT_EQ(Access("hello.txt", R_OK, AT_EACCESS), 0);
  EXPECT_EQ(Access("abs_link", F_OK), -EXDEV) << "followed: /etc/passwd is the guest kernel's to find";
  EXPECT_EQ(Access("abs_link", F_OK, AT_SYMLINK_NOFOLLOW), 0);
}

TEST_F(FileioTest, ReadlinkReadsTheLinkText) {
  Load(false);
  std::string target;
  EXPECT_EQ(Readlink("inner_link", &target), 13);
  EXPECT_EQ(target, "dir/inner.txt");
  EXPECT_EQ(Readlink("/abs_link", &target), 11) << "reading link text is not following it";
  EXPECT_EQ(target, "/etc/passwd");
  EXPECT_EQ(Readlink("hello.txt", &target), -EINVAL) << "not a link";
  EXPECT_EQ(Readlink("missing", &target), -ENOENT);
  EXPECT_EQ(Readlink("out_dir/secret", &target), -EXDEV) << "a directory link to a host path leaves the root";
  fileio_args a = PathArgs(FILEIO_OP_READLINK, "inner_link");
  a.nseg = 2;
  a.seg[0] = a.seg[1] = {kData, 8};
  EXPECT_EQ(Call(a), -EINVAL) << "one segment only";
}

// Parses linux_dirent64 records as the guest would.
std::set<std::string> DirentNames(const std::string &buf) {
  std::set<std::string> names;
  size_t off = 0;
  while (off + 19 < buf.size()) {
    uint16_t reclen;
    std::memcpy(&reclen, buf.data() + off + 16, sizeof reclen);
    if (reclen == 0 || off + reclen > buf.size()) break;
    names.insert(std::string(buf.data() + off + 19));
    off += reclen;
  }
  return names;
}

TEST_F(FileioTest, GetdentsListsADirectory) {
  Load(false);
  int64_t d = Open("/", O_RDONLY | O_DIRECTORY);
  ASSERT_GE(d, 0);
  fileio_args a{};
  a.hdr.op = FILEIO_OP_GETDENTS;
  a.handle = static_cast<int32_t>(d);
  a.nseg = 1;
  a.seg[0] = {kData, 4096};
  int64_t n = Call(a);
  ASSERT_GT(n, 0);
  EXPECT_EQ(DirentNames(host_.Peek(kData, static_cast<size_t>(n))),
            (std::set<std::string>{".", "..", "hello.txt", "dir", "inner_link", "abs_link",
                                   "abs_secret", "rel_escape", "out_dir"}));
  EXPECT_EQ(Call(a), 0) << "end of directory";

  int64_t f = Open("hello.txt", O_RDONLY);
  a.handle = static_cast<int32_t>(f);
  EXPECT_EQ(Call(a), -ENOTDIR);
  a.handle = static_cast<int32_t>(d);
  a.nseg = 2;
  EXPECT_EQ(Call(a), -EINVAL);
  a.nseg = 1;
  a.seg[0] = {host_.ram_size(), 4096};
  EXPECT_EQ(Call(a), -EFAULT);
}

TEST_F(FileioTest, UnknownOpIsEinval) {
  Load(false);
  fileio_args a{};
  a.hdr.op = 0;
  EXPECT_EQ(Call(a), -EINVAL);
  a.hdr.op = FILEIO_OP_LINK + 1;
  EXPECT_EQ(Call(a), -EINVAL);
  a.hdr.op = 0xffffffffu;
  EXPECT_EQ(Call(a), -EINVAL);
}

TEST_F(FileioTest, OnlyA32BitOutIsAHypercall) {
  Load(false);
  uint32_t v = kBlock;
  EXPECT_NE(host_.Io(kPort, false, 4, &v), 0);
  EXPECT_NE(host_.Io(kPort, true, 1, &v), 0);
  EXPECT_NE(host_.Out32(kPort, static_cast<uint32_t>(host_.ram_size() - 16)), 0);
}

TEST_F(FileioTest, InitFailsWithoutAUsableRoot) {
  host_.SetVmSetting("root", root_ + "/missing");
  EXPECT_NE(host_.Load("plugins/fileio/fileio.so"), 0);
  EXPECT_TRUE(host_.registrations().empty());
  ASSERT_FALSE(host_.logs().empty());
  EXPECT_NE(host_.logs().back().find("missing"), std::string::npos) << host_.logs().back();
}

TEST_F(FileioTest, InitFailsOnBadMaxOpen) {
  for (const char *bad : {"0", "x", "65537"}) {
    FakeHost host;
    host.SetVmSetting("root", root_);
    host.SetConfig("max_open", bad);
    EXPECT_NE(host.Load("plugins/fileio/fileio.so"), 0) << bad;
    EXPECT_EQ(host.config_errors().size(), 1u) << bad;
  }
}

}  // namespace

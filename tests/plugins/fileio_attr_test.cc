// fileio's attribute operations: CHMOD, CHOWN and STATFS on a path or an open
// handle; EROFS for changes on a read-only root, host permissions otherwise.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "tests/plugins/fileio_fixture.h"

namespace {

class FileioAttrTest : public FileioTest {
 protected:
  int64_t Chmod(const std::string &path, uint32_t mode, uint32_t flags = 0) {
    fileio_args a = PathArgs(FILEIO_OP_CHMOD, path);
    a.mode = mode;
    a.flags = flags;
    return Call(a);
  }
  int64_t Chown(const std::string &path, uint32_t uid, uint32_t gid, uint32_t flags = 0) {
    fileio_args a = PathArgs(FILEIO_OP_CHOWN, path);
    a.uid = uid;
    a.gid = gid;
    a.flags = flags;
    return Call(a);
  }
  // An empty path: the operation applies to handle `h`.
  fileio_args HandleArgs(uint32_t op, int64_t h) {
    fileio_args a{};
    a.hdr.op = op;
    a.handle = static_cast<int32_t>(h);
    return a;
  }
  int64_t Statfs(const std::string &path, fileio_statfs *out) {
    fileio_args a = PathArgs(FILEIO_OP_STATFS, path);
    return StatfsCall(a, out);
  }
  int64_t StatfsCall(fileio_args a, fileio_statfs *out) {
    a.nseg = 1;
    a.seg[0] = {kData, sizeof *out};
    int64_t r = Call(a);
    std::string bytes = host_.Peek(kData, sizeof *out);
    std::memcpy(out, bytes.data(), sizeof *out);
    return r;
  }
  // Whether ids other than our own exist here (Bazel's sandbox may run the
  // test as root of a user namespace that maps only uid 0).
  static bool IdsMapped() {
    FILE *map = fopen("/proc/self/uid_map", "r");
    if (map == nullptr)
      return true;
    unsigned long inside, outside, count;
    bool wide = fscanf(map, "%lu %lu %lu", &inside, &outside, &count) == 3 && count > 5678;
    fclose(map);
    return wide;
  }
  void ExpectStatfs(bool rw) {
    Load(rw);
    struct statfs host;
    ASSERT_EQ(statfs(HostPath("dir").c_str(), &host), 0);
    fileio_statfs st{};
    ASSERT_EQ(Statfs("dir", &st), 0);
    EXPECT_EQ(st.type, static_cast<int64_t>(host.f_type));
    EXPECT_EQ(st.bsize, static_cast<int64_t>(host.f_bsize));
    EXPECT_EQ(st.blocks, host.f_blocks);
    EXPECT_EQ(st.namelen, static_cast<int64_t>(host.f_namelen));
    EXPECT_EQ(st.flags & 1, rw ? (host.f_flags & 1) : 1) << "ST_RDONLY";
    EXPECT_NE(st.flags & 0x20, 0) << "ST_VALID";

    int64_t h = Open("hello.txt", O_RDONLY);
    ASSERT_GE(h, 0);
    fileio_statfs by_handle{};
    EXPECT_EQ(StatfsCall(HandleArgs(FILEIO_OP_STATFS, h), &by_handle), 0) << "fstatfs";
    EXPECT_EQ(by_handle.type, st.type);
    EXPECT_EQ(Close(h), 0);
    EXPECT_EQ(Statfs("missing", &st), -ENOENT);
    EXPECT_EQ(Statfs("abs_secret", &st), -EXDEV);
    fileio_args small = PathArgs(FILEIO_OP_STATFS, "dir");
    small.nseg = 1;
    small.seg[0] = {kData, 8};
    EXPECT_EQ(Call(small), -EINVAL) << "a segment too small for the answer";
  }
  mode_t HostMode(const std::string &rel) {
    struct stat st;
    EXPECT_EQ(lstat(HostPath(rel).c_str(), &st), 0) << rel;
    return st.st_mode & 07777;
  }
};

TEST_F(FileioAttrTest, ReadOnlyRootRefusesModeAndOwnerChanges) {
  Load(false);
  mode_t before = HostMode("hello.txt");
  EXPECT_EQ(Chmod("hello.txt", 0600), -EROFS);
  EXPECT_EQ(Chown("hello.txt", FILEIO_ID_UNCHANGED, FILEIO_ID_UNCHANGED), -EROFS);
  int64_t h = Open("hello.txt", O_RDONLY);
  ASSERT_GE(h, 0);
  fileio_args a = HandleArgs(FILEIO_OP_CHMOD, h);
  a.mode = 0600;
  EXPECT_EQ(Call(a), -EROFS) << "fchmod";
  EXPECT_EQ(HostMode("hello.txt"), before);
}

TEST_F(FileioAttrTest, ChmodChangesTheHostFileBeneathTheRootOnly) {
  Load(true);
  EXPECT_EQ(Chmod("hello.txt", 0640), 0);
  EXPECT_EQ(HostMode("hello.txt"), 0640u);
  EXPECT_EQ(Chmod("/dir", 0750), 0);
  EXPECT_EQ(HostMode("dir"), 0750u);
  EXPECT_EQ(Chmod("hello.txt", 0104755), 0) << "only the permission bits are taken";
  EXPECT_EQ(HostMode("hello.txt"), 04755u);
  EXPECT_EQ(Chmod("inner_link", 0600), 0) << "follows the link";
  EXPECT_EQ(HostMode("dir/inner.txt"), 0600u);
  EXPECT_EQ(Chmod("inner_link", 0600, AT_SYMLINK_NOFOLLOW), -EOPNOTSUPP);
  EXPECT_EQ(Chmod("missing", 0600), -ENOENT);
  EXPECT_EQ(Chmod("hello.txt", 0600, AT_REMOVEDIR), -EINVAL);

  struct stat secret_before;
  ASSERT_EQ(stat((base_ + "/secret").c_str(), &secret_before), 0);
  EXPECT_EQ(Chmod("abs_secret", 0777), -EXDEV) << "an absolute link is the guest kernel's";
  EXPECT_EQ(Chmod("rel_escape", 0777), -EXDEV);
  struct stat secret_after;
  ASSERT_EQ(stat((base_ + "/secret").c_str(), &secret_after), 0);
  EXPECT_EQ(secret_after.st_mode, secret_before.st_mode);

  int64_t h = Open("hello.txt", O_RDONLY);
  ASSERT_GE(h, 0);
  fileio_args a = HandleArgs(FILEIO_OP_CHMOD, h);
  a.mode = 0444;
  EXPECT_EQ(Call(a), 0) << "fchmod";
  EXPECT_EQ(HostMode("hello.txt"), 0444u);
  a.handle = 999;
  EXPECT_EQ(Call(a), -EBADF);
}

TEST_F(FileioAttrTest, ChownAppliesHostIdsAsTheHostAllows) {
  Load(true);
  struct stat st;
  ASSERT_EQ(stat(HostPath("hello.txt").c_str(), &st), 0);
  EXPECT_EQ(Chown("hello.txt", FILEIO_ID_UNCHANGED, FILEIO_ID_UNCHANGED), 0);
  EXPECT_EQ(Chown("hello.txt", st.st_uid, st.st_gid), 0) << "to the owner it has";
  EXPECT_EQ(Chown("missing", FILEIO_ID_UNCHANGED, FILEIO_ID_UNCHANGED), -ENOENT);
  EXPECT_EQ(Chown("abs_secret", FILEIO_ID_UNCHANGED, FILEIO_ID_UNCHANGED), -EXDEV);
  EXPECT_EQ(Chown("inner_link", FILEIO_ID_UNCHANGED, FILEIO_ID_UNCHANGED,
                  AT_SYMLINK_NOFOLLOW), 0)
      << "lchown";
  if (geteuid() == 0 && IdsMapped()) {
    EXPECT_EQ(Chown("hello.txt", 1234, FILEIO_ID_UNCHANGED), 0);
    ASSERT_EQ(stat(HostPath("hello.txt").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 1234u);
    int64_t h = Open("hello.txt", O_RDONLY);
    ASSERT_GE(h, 0);
    fileio_args a = HandleArgs(FILEIO_OP_CHOWN, h);
    a.uid = FILEIO_ID_UNCHANGED;
    a.gid = 5678;
    EXPECT_EQ(Call(a), 0) << "fchown";
    ASSERT_EQ(stat(HostPath("hello.txt").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 1234u);
    EXPECT_EQ(st.st_gid, 5678u);
  } else if (geteuid() != 0) {
    EXPECT_EQ(Chown("hello.txt", st.st_uid + 1, FILEIO_ID_UNCHANGED), -EPERM);
  }
}

TEST_F(FileioAttrTest, StatfsOfAReadOnlyRootSaysSo) {
  ExpectStatfs(false);
}

TEST_F(FileioAttrTest, StatfsOfAWritableRootPassesTheHostFields) {
  ExpectStatfs(true);
}

}  // namespace

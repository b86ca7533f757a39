// Every plugin declares the system calls its handlers make (seccomp grants);
// this runs each handler path under a filter of exactly those grants, so a
// missing grant fails here rather than killing minivm mid-run.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "console/console_abi.h"
#include "platform/platform_abi.h"
#include "tests/plugins/fd_redirect.h"
#include "tests/plugins/fileio_fixture.h"
#include "tests/plugins/seccomp_sandbox.h"

namespace {

TEST(SeccompGrantsTest, ConsoleHandlers) {
  FakeHost host;
  ASSERT_EQ(host.Load("plugins/console/console.so"), 0);
  FdPipe in(0, /*is_read_end=*/true);  // READ must not wait on a terminal
  ASSERT_EQ(write(in.other_end(), "in", 2), 2);
  in.CloseOtherEnd();
  std::string err = RunUnderPluginFilter(host, [&] {
    bool ok = true;
    host.Poke(0x10000, "under seccomp\n");
    for (uint32_t op : {CONSOLE_OP_WRITE, CONSOLE_OP_READ, CONSOLE_OP_INFO}) {
      console_args a{};
      a.hdr.op = op;
      a.stream = op == CONSOLE_OP_READ ? 0 : 2;
      a.nseg = 1;
      a.seg[0] = {0x10000, 14};
      ok = ok && ExpectInChild(host.Hypercall(0x501, 0x1000, &a) == 0 && a.hdr.result >= 0,
                               "console op");
    }
    return ok;
  });
  EXPECT_EQ(err, "");
}

TEST(SeccompGrantsTest, PlatformHandlers) {
  FakeHost host;
  host.SetVmSetting("trace", "1");
  ASSERT_EQ(host.Load("plugins/platform/platform.so"), 0);
  std::string err = RunUnderPluginFilter(host, [&] {
    host.Poke(0x10000, "trace line\nsecond\n");
    bool ok = true;
    for (uint32_t op : {PLATFORM_OP_TRACE, PLATFORM_OP_SIGNAL_DEATH, PLATFORM_OP_PANIC,
                        PLATFORM_OP_EXIT}) {
      platform_args a{};
      a.hdr.op = op;
      a.signo = 11;
      a.msg_gpa = 0x10000;
      a.msg_len = 18;
      ok = ok && ExpectInChild(host.Hypercall(0x500, 0x1000, &a) == 0 && a.hdr.result == 0,
                               "platform op");
    }
    return ok;
  });
  EXPECT_EQ(err, "");
}

// --strace lines, to stderr and to an --strace-output file: write(2) on that
// descriptor is the one grant the file adds.
TEST(SeccompGrantsTest, PlatformStraceToStderrAndToAFile) {
  char dir[] = "/tmp/seccomp_strace_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string file = std::string(dir) + "/trace.txt";
  for (bool to_file : {false, true}) {
    FakeHost host;
    host.SetVmSetting("strace", "1");
    if (to_file) host.SetVmSetting("strace_output", file);
    ASSERT_EQ(host.Load("plugins/platform/platform.so"), 0) << host.load_error();
    std::string err = RunUnderPluginFilter(host, [&] {
      host.Poke(0x10000, "close(3) = 0\n");
      platform_args a{};
      a.hdr.op = PLATFORM_OP_STRACE;
      a.msg_gpa = 0x10000;
      a.msg_len = 13;
      return ExpectInChild(host.Hypercall(0x500, 0x1000, &a) == 0 && a.hdr.result == 0,
                           "platform strace op");
    });
    EXPECT_EQ(err, "") << (to_file ? "to a file" : "to stderr");
    host.Finish();
  }
  unlink(file.c_str());
  rmdir(dir);
}

TEST_F(FileioTest, EveryOperationRunsUnderItsGrants) {
  ASSERT_EQ(mkfifo(HostPath("fifo").c_str(), 0644), 0);
  Load(true);
  std::string err = RunUnderPluginFilter(host_, [&] {
    // Short strings only: no heap growth (brk/mmap) in the child.
    std::string got;
    fileio_stat st;
    int64_t h = Open("new.txt", O_RDWR | O_CREAT, 0644);
    int64_t d = Open("dir", O_RDONLY | O_DIRECTORY);
    fileio_args dents{};
    dents.hdr.op = FILEIO_OP_GETDENTS;
    dents.handle = static_cast<int32_t>(d);
    dents.nseg = 1;
    dents.seg[0] = {kData, 4096};
    fileio_args trunc{};
    trunc.hdr.op = FILEIO_OP_FTRUNCATE;
    trunc.handle = static_cast<int32_t>(h);
    trunc.offset = 1;
    fileio_args sync = trunc;
    sync.hdr.op = FILEIO_OP_FSYNC;
    // PathArgs places the path in guest RAM now, so build these when used.
    auto touch = [&] {
      fileio_args a = PathArgs(FILEIO_OP_UTIMENS, "new.txt");
      a.times[1] = a.times[3] = UTIME_NOW;
      return Call(a);
    };
    auto chmod_path = [&](uint32_t mode) {
      fileio_args a = PathArgs(FILEIO_OP_CHMOD, "new.txt");
      a.mode = mode;
      return Call(a);
    };
    auto chown_path = [&] {
      fileio_args a = PathArgs(FILEIO_OP_CHOWN, "new.txt");
      a.uid = a.gid = FILEIO_ID_UNCHANGED;
      return Call(a);
    };
    fileio_args fchmod{};
    fileio_args fchown{};
    fchmod.hdr.op = FILEIO_OP_CHMOD;
    fchmod.handle = static_cast<int32_t>(h);
    fchmod.mode = 0640;
    fchown = fchmod;
    fchown.hdr.op = FILEIO_OP_CHOWN;
    fchown.uid = fchown.gid = FILEIO_ID_UNCHANGED;
    fileio_args fstatfs_args = fchmod;
    fstatfs_args.hdr.op = FILEIO_OP_STATFS;
    fstatfs_args.nseg = 1;
    fstatfs_args.seg[0] = {kData, sizeof(fileio_statfs)};
    auto statfs_path = [&] {
      fileio_args a = PathArgs(FILEIO_OP_STATFS, "dir");
      a.nseg = 1;
      a.seg[0] = {kData, sizeof(fileio_statfs)};
      return Call(a);
    };
    auto rename_noreplace = [&] {
      fileio_args a = PathArgs(FILEIO_OP_RENAME, "sub/b");
      host_.Poke(kPath2, "c");
      a.dir2 = FILEIO_DIR_ROOT;
      a.path2_gpa = kPath2;
      a.path2_len = 1;
      a.flags = RENAME_NOREPLACE;
      return Call(a);
    };
#define STEP(cond) ExpectInChild((cond), #cond)
    return STEP(h >= 0) && STEP(d >= 0) && STEP(Write(h, "abc") == 3) &&
           STEP(Write(h, "x", 5) == 1) && STEP(Read(h, 4, &got, 0) == 4) &&
           STEP(Read(h, 4, &got) == 3) && STEP(Lseek(h, 0, SEEK_SET) == 0) &&
           STEP(Fstat(h, &st) == 0) && STEP(Stat("inner_link", 0, &st) == 0) &&
           STEP(Stat("abs_link", AT_SYMLINK_NOFOLLOW, &st) == 0) &&
           STEP(Access("new.txt", W_OK) == 0) && STEP(Access("new.txt", R_OK, AT_EACCESS) == 0) &&
           STEP(Call(dents) > 0) && STEP(Readlink("inner_link", &got) == 13) &&
           STEP(Call(trunc) == 0) && STEP(Call(sync) == 0) && STEP(touch() == 0) &&
           STEP(chmod_path(0600) == 0) && STEP(Call(fchmod) == 0) && STEP(chown_path() == 0) &&
           STEP(Call(fchown) == 0) && STEP(statfs_path() == 0) && STEP(Call(fstatfs_args) == 0) &&
           STEP(Mkdir("sub") == 0) && STEP(Rename("new.txt", "sub/b") == 0) &&
           STEP(rename_noreplace() == 0) &&
           STEP(TwoPaths(FILEIO_OP_SYMLINK, "sym", "c") == 0) &&
           STEP(TwoPaths(FILEIO_OP_LINK, "c", "hard") == 0) && STEP(Unlink("c") == 0) &&
           STEP(Unlink("sub", AT_REMOVEDIR) == 0) && STEP(Open("fifo", O_RDONLY) == -ENXIO) &&
           STEP(Close(h) == 0) && STEP(Close(d) == 0);
#undef STEP
  });
  EXPECT_EQ(err, "");
}

// Every operation number (and ones past the table) with arguments that reach
// its handler's system calls, on one open file: no request may lead the
// plugin to a call outside the grants of its mode. On a read-only root the
// operations that change files are EROFS and fsync succeeds without the host.
class FileioEveryOperation : public FileioTest, public testing::WithParamInterface<bool> {
 protected:
  static constexpr uint32_t kLastOp = FILEIO_OP_STATFS;
};

TEST_P(FileioEveryOperation, StaysInsideTheGrantsOfItsMode) {
  const bool rw = GetParam();
  Load(rw);
  const int64_t h = Open("hello.txt", rw ? O_RDWR : O_RDONLY);
  ASSERT_GE(h, 0);
  std::string err = RunUnderPluginFilter(host_, [&] {
    bool ok = true;
    // CLOSE last: the others act on the open handle.
    std::vector<uint32_t> walk;
    for (uint32_t op = 0; op <= kLastOp + 2; op++) {
      if (op != FILEIO_OP_CLOSE)
        walk.push_back(op);
    }
    walk.push_back(FILEIO_OP_CLOSE);
    for (uint32_t op : walk) {
      fileio_args a = PathArgs(op, op == FILEIO_OP_UNLINK ? "walk_target" : "hello.txt");
      host_.Poke(kPath2, "walk_new");
      a.path2_gpa = kPath2;
      a.path2_len = 8;
      a.dir2 = FILEIO_DIR_ROOT;
      a.handle = static_cast<int32_t>(h);
      a.offset = 0;
      a.mode = R_OK;
      a.nseg = 1;
      a.seg[0] = {kData, 128};  // room for STATFS's answer
      a.times[1] = a.times[3] = UTIME_NOW;
      a.uid = a.gid = FILEIO_ID_UNCHANGED;
      int64_t r = Call(a);
      if (!rw && op == FILEIO_OP_WRITE)
        ok = ExpectInChild(r == -EBADF, "no handle of a read-only root is writable") && ok;
      if (!rw && (op == FILEIO_OP_UNLINK || op == FILEIO_OP_MKDIR ||
                  op == FILEIO_OP_RENAME || op == FILEIO_OP_FTRUNCATE ||
                  op == FILEIO_OP_UTIMENS || op == FILEIO_OP_SYMLINK || op == FILEIO_OP_LINK ||
                  op == FILEIO_OP_CHMOD || op == FILEIO_OP_CHOWN))
        ok = ExpectInChild(r == -EROFS, "a change on a read-only root is EROFS") && ok;
      if (op == FILEIO_OP_FSYNC)
        ok = ExpectInChild(r == 0, "fsync succeeds") && ok;
      if (op == 0 || op > kLastOp)
        ok = ExpectInChild(r == -EINVAL, "an unknown operation is EINVAL") && ok;
    }
    return ok;
  });
  EXPECT_EQ(err, "");
}

INSTANTIATE_TEST_SUITE_P(ReadOnlyAndWritable, FileioEveryOperation, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& info) {
                           return info.param ? "Writable" : "ReadOnly";
                         });

}  // namespace

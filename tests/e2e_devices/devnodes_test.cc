// Device nodes the guest kernel provides itself (no host access, the root
// has no /dev): /dev/null, zero, full, random, urandom, and the fd aliases
// /dev/stdin, stdout, stderr, /dev/fd/N, /proc/self/fd/N.
#include <string>

#include "gtest/gtest.h"
#include "tests/e2e_devices/guest_runner.h"
#include "tests/support/kvm_required.h"

namespace minivm_test {
namespace {

class DevnodesTest : public testing::Test {
 protected:
  void SetUp() override { MINIVM_NEED_KVM(); }

  RunResult Busybox(const std::vector<std::string>& args, const std::string& stdin_data = "") {
    return guest_.Run(kBusybox, args, stdin_data);
  }

  GuestRunner guest_{nullptr};
};

TEST_F(DevnodesTest, ShellRedirectionsToDevNull) {
  RunResult r = Busybox({"sh", "-c", "echo hidden >/dev/null; echo gone 2>/dev/null >&2; "
                                     "read x </dev/null || echo eof; echo shown"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out, "eof\nshown\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(DevnodesTest, ReadingTheMemoryDevices) {
  RunResult r = Busybox({"cat", "/dev/null"});
  EXPECT_TRUE(r.exited && r.status == 0 && r.out.empty()) << r;
  r = Busybox({"od", "-An", "-tx1", "-N8", "/dev/zero"});
  EXPECT_EQ(r.out, " 00 00 00 00 00 00 00 00\n") << r;
  r = Busybox({"od", "-An", "-tx1", "-N4", "/dev/full"});
  EXPECT_EQ(r.out, " 00 00 00 00\n") << r;
  r = Busybox({"head", "-c", "100", "/dev/random"});
  EXPECT_EQ(r.out.size(), 100u) << r;
}

TEST_F(DevnodesTest, WritingToDevFullFails) {
  RunResult r = Busybox({"sh", "-c", "echo x >/dev/full"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_NE(r.status, 0) << r;
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r;
}

TEST_F(DevnodesTest, NodesAreCharacterDevices) {
  RunResult r = Busybox({"stat", "-c", "%n %F %t:%T %a", "/dev/null", "/dev/zero", "/dev/full",
                         "/dev/random", "/dev/urandom"});
  ASSERT_TRUE(r.exited && r.status == 0) << r;
  EXPECT_EQ(r.out,
            "/dev/null character special file 1:3 666\n"
            "/dev/zero character special file 1:5 666\n"
            "/dev/full character special file 1:7 666\n"
            "/dev/random character special file 1:8 666\n"
            "/dev/urandom character special file 1:9 666\n");
}

TEST_F(DevnodesTest, StdioAliases) {
  for (const char* path : {"/dev/stdin", "/proc/self/fd/0", "/dev/fd/0"}) {
    RunResult r = Busybox({"cat", path}, "piped in\n");
    EXPECT_TRUE(r.exited && r.status == 0) << path << ": " << r;
    EXPECT_EQ(r.out, "piped in\n") << path;
  }
  RunResult r = Busybox({"sh", "-c", "echo out >/dev/stdout; echo err >/dev/stderr; "
                                     "echo two >/proc/self/fd/2"});
  EXPECT_EQ(r.out, "out\n") << r;
  EXPECT_EQ(r.err, "err\ntwo\n") << r;
  r = Busybox({"cat", "/proc/self/fd/9"});
  EXPECT_NE(r.status, 0) << "a closed fd is no file: " << r;
}

TEST_F(DevnodesTest, AnAliasOfAFileOpensItAfresh) {
  guest_.root().Write("f.txt", "first\nsecond\n");
  // fd 3's position is after the first line; /proc/self/fd/3 starts at 0.
  RunResult r = Busybox({"sh", "-c", "exec 3<f.txt; read a <&3; read b </proc/self/fd/3; "
                                     "echo \"$a $b\""});
  ASSERT_TRUE(r.exited && r.status == 0) << r;
  EXPECT_EQ(r.out, "first first\n");
}

}  // namespace
}  // namespace minivm_test

// The platform plugin's --strace output (PLATFORM_OP_STRACE): to stderr or
// the --strace-output file, only with --strace, guest text made printable,
// cut at one page, and write(2) granted on the file's descriptor only.
#include "platform/platform_abi.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/plugins/fake_host.h"
#include "tests/plugins/fd_redirect.h"

namespace {

constexpr uint16_t kPort = 0x500;
constexpr uint32_t kBlock = 0x1000;
constexpr uint64_t kText = 0x10000;

std::string ReadFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class PlatformStraceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/platform_strace_XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override {
    unlink((dir_ + "/out.txt").c_str());
    rmdir(dir_.c_str());
  }
  int Load() { return host_.Load("plugins/platform/platform.so"); }

  // PLATFORM_OP_STRACE with `text` in guest RAM (length `len`, default all).
  int64_t Strace(const std::string &text, uint64_t len = UINT64_MAX) {
    host_.Poke(kText, text);
    platform_args a{};
    a.hdr.op = PLATFORM_OP_STRACE;
    a.msg_gpa = kText;
    a.msg_len = len == UINT64_MAX ? text.size() : len;
    EXPECT_EQ(host_.Hypercall(kPort, kBlock, &a), 0);
    return a.hdr.result;
  }

  FakeHost host_;
  std::string dir_;
};

TEST_F(PlatformStraceTest, RefusedWithoutStrace) {
  ASSERT_EQ(Load(), 0) << host_.load_error();
  FdCapture err(2);
  EXPECT_EQ(Strace("close(3) = 0\n"), -EPERM);
  EXPECT_EQ(err.Finish(), "");
}

TEST_F(PlatformStraceTest, LinesGoToStderrAsGiven) {
  host_.SetVmSetting("strace", "1");
  ASSERT_EQ(Load(), 0) << host_.load_error();
  FdCapture err(2);
  EXPECT_EQ(Strace("close(3)                                = 0\n+++ exited with 0 +++\n"), 0);
  EXPECT_EQ(err.Finish(), "close(3)                                = 0\n+++ exited with 0 +++\n");
}

// The guest is hostile: no escape sequence, carriage return or high byte
// reaches the terminal, and a batch always ends its line.
TEST_F(PlatformStraceTest, NonPrintableBytesBecomeQuestionMarks) {
  host_.SetVmSetting("strace", "1");
  ASSERT_EQ(Load(), 0) << host_.load_error();
  FdCapture err(2);
  EXPECT_EQ(Strace(std::string("a\x1b[2Jb\rc\x9b\xff\td\0e", 14)), 0);
  EXPECT_EQ(err.Finish(), "a?[2Jb?c???d?e\n");
}

TEST_F(PlatformStraceTest, ABatchIsCutAtOnePage) {
  host_.SetVmSetting("strace", "1");
  ASSERT_EQ(Load(), 0) << host_.load_error();
  FdCapture err(2);
  std::string big(PLATFORM_STRACE_MAX + 100, 'x');
  EXPECT_EQ(Strace(big), 0);
  EXPECT_EQ(err.Finish(), std::string(PLATFORM_STRACE_MAX, 'x') + "\n");
}

TEST_F(PlatformStraceTest, TextOutsideRamIsEfault) {
  host_.SetVmSetting("strace", "1");
  ASSERT_EQ(Load(), 0) << host_.load_error();
  platform_args a{};
  a.hdr.op = PLATFORM_OP_STRACE;
  a.msg_gpa = host_.ram_size() - 10;
  a.msg_len = 100;
  ASSERT_EQ(host_.Hypercall(kPort, kBlock, &a), 0);
  EXPECT_EQ(a.hdr.result, -EFAULT);
}

TEST_F(PlatformStraceTest, OutputFileIsTruncatedWrittenAndTheOnlyNewWriteGrant) {
  std::string path = dir_ + "/out.txt";
  {
    std::ofstream old(path);
    old << "old contents that must go\n";
  }
  host_.SetVmSetting("strace", "1");
  host_.SetVmSetting("strace_output", path);
  ASSERT_EQ(Load(), 0) << host_.load_error();
  FdCapture err(2);
  EXPECT_EQ(Strace("write(1, \"hi\\n\", 3) = 3\n"), 0);
  EXPECT_EQ(err.Finish(), "") << "the lines go to the file, not stderr";
  EXPECT_EQ(ReadFile(path), "write(1, \"hi\\n\", 3) = 3\n");
  int write_grants_not_stderr = 0;
  for (const auto &g : host_.seccomp_grants()) {
    if (g.syscall_nr == SYS_write && g.value != STDERR_FILENO) {
      write_grants_not_stderr++;
      EXPECT_EQ(g.arg_index, 0);
      EXPECT_GT(g.value, 2u);
    }
  }
  EXPECT_EQ(write_grants_not_stderr, 1);
  host_.Finish();
}

TEST_F(PlatformStraceTest, UnopenableOutputFileFailsInitWithOneClearLine) {
  host_.SetVmSetting("strace", "1");
  host_.SetVmSetting("strace_output", dir_ + "/no/such/dir/out.txt");
  EXPECT_NE(Load(), 0);
  bool named = false;
  for (const auto &line : host_.logs())
    named |= line.find("--strace-output: cannot open " + dir_ + "/no/such/dir/out.txt") !=
             std::string::npos;
  EXPECT_TRUE(named);
}

}  // namespace

// program_open: finding the user program and refusing what the guest cannot
// run, with status 127 (not found) or 126 (not runnable) and a message.
//
// Data: static=, dynamic= (the same program linked statically and dynamically).
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/data_args.h"
#include "tests/support/scoped_env.h"
#include "tests/support/temp_dir.h"

extern "C" {
#include "core/exit_status.h"
#include "core/program.h"
}

namespace {

using minivm_test::DataPath;
using minivm_test::ScopedEnv;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ProgramTest : public ::testing::Test {
 protected:
  void TearDown() override { program_close(&program_); }

  int Open(const std::string& name) {
    program_close(&program_);
    testing::internal::CaptureStderr();
    int status = program_open(&program_, name.c_str());
    err_ = testing::internal::GetCapturedStderr();
    return status;
  }

  void ExpectStatus(const std::string& name, int status, const std::string& why) {
    SCOPED_TRACE(name);
    EXPECT_EQ(Open(name), status);
    EXPECT_PRED_FORMAT2(testing::IsSubstring, "minivm: " + name, err_);
    EXPECT_PRED_FORMAT2(testing::IsSubstring, why, err_);
  }

  minivm_test::TempDir dir_;
  program program_ = {};
  std::string err_;
};

TEST_F(ProgramTest, StaticExecutableIsOpened) {
  ASSERT_EQ(Open(DataPath("static")), 0) << err_;
  EXPECT_EQ(err_, "");
  EXPECT_EQ(program_.path, DataPath("static"));
  std::string contents = ReadFile(DataPath("static"));
  ASSERT_EQ(program_.size, contents.size());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(program_.data), program_.size), contents);
}

TEST_F(ProgramTest, NameWithoutSlashIsSearchedInPath) {
  dir_.Write("bin/prog", ReadFile(DataPath("static")), 0755);
  ScopedEnv path("PATH", dir_.Path("empty") + ":" + dir_.Path("bin"));
  EXPECT_EQ(Open("prog"), 0) << err_;
  EXPECT_EQ(std::string(program_.path), dir_.Path("bin/prog"));
  EXPECT_EQ(Open("no-such-program-anywhere"), EXIT_STATUS_NOT_FOUND);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "minivm: no-such-program-anywhere: program not found",
                      err_);
}

TEST_F(ProgramTest, PathSearchSkipsDirectoriesAndNonExecutables) {
  std::string binary = ReadFile(DataPath("static"));
  dir_.Mkdir("a/prog");                       // a directory of that name
  dir_.Write("b/prog", binary, 0644);         // not executable
  dir_.Write("c/prog", binary, 0755);         // the one execvp would run
  {
    ScopedEnv path("PATH", dir_.Path("a") + ":" + dir_.Path("b") + ":" + dir_.Path("c"));
    EXPECT_EQ(Open("prog"), 0) << err_;
    EXPECT_EQ(std::string(program_.path), dir_.Path("c/prog"));
  }
  // Only a non-executable one: that is the file reported.
  ScopedEnv path("PATH", dir_.Path("a") + ":" + dir_.Path("b"));
  EXPECT_EQ(Open("prog"), EXIT_STATUS_NOT_RUNNABLE);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, dir_.Path("b/prog") + ": permission denied", err_);
}

TEST_F(ProgramTest, EmptyNameIs127) {
  EXPECT_EQ(Open(""), EXIT_STATUS_NOT_FOUND);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "program not found", err_);
}

TEST_F(ProgramTest, MissingProgramIs127) {
  ExpectStatus(dir_.Path("missing"), EXIT_STATUS_NOT_FOUND, "No such file or directory");
  ExpectStatus(dir_.Write("file", "x") + "/below", EXIT_STATUS_NOT_FOUND, "Not a directory");
}

TEST_F(ProgramTest, DirectoryIs126) {
  ExpectStatus(dir_.Mkdir("subdir"), EXIT_STATUS_NOT_RUNNABLE, "not a regular file");
}

TEST_F(ProgramTest, NonExecutableIs126) {
  std::string path = dir_.Write("noexec", ReadFile(DataPath("static")), 0644);
  ExpectStatus(path, EXIT_STATUS_NOT_RUNNABLE, "permission denied");
}

TEST_F(ProgramTest, EmptyFileIs126) {
  ExpectStatus(dir_.Write("empty", "", 0755), EXIT_STATUS_NOT_RUNNABLE, "empty file");
}

TEST_F(ProgramTest, GarbageAndScriptsAre126) {
  ExpectStatus(dir_.Write("garbage", std::string(4096, '\x5a'), 0755), EXIT_STATUS_NOT_RUNNABLE,
               "not an x86-64 executable (not an ELF file)");
  ExpectStatus(dir_.Write("script", "#!/bin/sh\nexit 0\n", 0755), EXIT_STATUS_NOT_RUNNABLE,
               "not an ELF file");
  std::string truncated = ReadFile(DataPath("static")).substr(0, 100);
  ExpectStatus(dir_.Write("truncated", truncated, 0755), EXIT_STATUS_NOT_RUNNABLE,
               "not an x86-64 executable (");
}

TEST_F(ProgramTest, DynamicallyLinkedNamesItsInterpreter) {
  ASSERT_EQ(Open(DataPath("dynamic")), 0);
  ASSERT_NE(program_.interp, nullptr);
  EXPECT_EQ(std::string(program_.interp), "/lib64/ld-linux-x86-64.so.2");
}

TEST_F(ProgramTest, StaticHasNoInterpreter) {
  ASSERT_EQ(Open(DataPath("static")), 0);
  EXPECT_EQ(program_.interp, nullptr);
}

TEST_F(ProgramTest, DebiansDynamicTrueIsAccepted) {
  struct stat st;
  if (stat("/bin/true", &st) != 0) GTEST_SKIP() << "/bin/true is absent";
  ASSERT_EQ(Open("/bin/true"), 0);
  EXPECT_NE(program_.interp, nullptr);
}

TEST_F(ProgramTest, CloseIsIdempotent) {
  ASSERT_EQ(Open(DataPath("static")), 0);
  program_close(&program_);
  EXPECT_EQ(program_.data, nullptr);
  program_close(&program_);
}

}  // namespace

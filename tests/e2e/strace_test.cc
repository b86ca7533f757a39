// --strace end to end (issue 14 part 1): real glibc, musl and busybox programs
// under minivm --strace, their lines checked against what strace prints for
// the same calls — exactly where a line is deterministic — and the program's
// own stdout/stderr left as they are.
#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/data_args.h"
#include "tests/support/kvm_required.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace minivm_test {
namespace {

const char kBusybox[] = "/bin/busybox";

// strace's alignment: the call, padded to column 39, then " = RESULT".
std::string Line(const std::string& call, const std::string& result) {
  std::string padded = call;
  if (padded.size() < 39) padded.resize(39, ' ');
  return padded + " = " + result;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool HasLine(const std::string& text, const std::string& line) {
  for (const std::string& l : Lines(text))
    if (l == line) return true;
  return false;
}

int CountMatching(const std::string& text, const std::regex& re) {
  int n = 0;
  for (const std::string& l : Lines(text)) n += std::regex_match(l, re) ? 1 : 0;
  return n;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every line strace prints has one of these shapes (a syscall with its
// result, its unfinished or resumed half, a signal, an exit).
const std::regex kStraceLine(
    R"((\[pid +\d+\] )?([a-z_0-9]+\(.*( <unfinished \.\.\.>|\) += .*)|<\.\.\. [a-z_0-9]+ resumed>.*\) += .*|--- SIG[A-Z0-9_]+ \{.*\} ---|\+\+\+ (exited with \d+|killed by SIG[A-Z0-9_]+) \+\+\+))");

class StraceTest : public testing::Test {
 protected:
  void SetUp() override { MINIVM_NEED_KVM(); }

  RunResult Minivm(const std::vector<std::string>& flags, const std::string& program,
                   const std::vector<std::string>& args = {}) {
    std::vector<std::string> argv = {DataPath("minivm"), "--root", root_.path(), "--timeout",
                                     "60s"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back("--");
    argv.push_back(program[0] == '/' ? program : DataPath(program));
    argv.insert(argv.end(), args.begin(), args.end());
    RunOptions options;
    options.cwd = root_.path();
    options.timeout = std::chrono::milliseconds(90000);
    return RunCommand(argv, options);
  }

  // The strace lines of a run whose program writes nothing to stderr.
  static void ExpectOnlyStraceLines(const std::string& err) {
    for (const std::string& l : Lines(err))
      EXPECT_TRUE(std::regex_match(l, kStraceLine)) << "not an strace line: " << l;
  }

  TempDir outside_;
  TempDir root_;
};

TEST_F(StraceTest, GlibcWriteShowsItsQuotedDataAndTheExit) {
  RunResult r = Minivm({"--strace"}, "hello_glibc");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out, "hello from glibc\n");
  EXPECT_TRUE(HasLine(r.err, Line(R"(write(1, "hello from glibc\n", 17))", "17"))) << r.err;
  EXPECT_TRUE(HasLine(r.err, Line("exit_group(0)", "?"))) << r.err;
  ASSERT_FALSE(Lines(r.err).empty());
  EXPECT_EQ(Lines(r.err).back(), "+++ exited with 0 +++");
  // glibc's start-up, decoded as strace decodes it.
  EXPECT_EQ(CountMatching(r.err, std::regex(R"(brk\(NULL\) += 0x[0-9a-f]+)")), 2) << r.err;
  EXPECT_TRUE(HasLine(r.err, Line("prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, "
                                  "rlim_max=RLIM64_INFINITY})",
                                  "0")))
      << r.err;
  EXPECT_EQ(CountMatching(r.err, std::regex(R"(getrandom\("(\\x[0-9a-f]{2}){8}", 8, GRND_NONBLOCK\) += 8)")), 1)
      << r.err;
  ExpectOnlyStraceLines(r.err);
}

TEST_F(StraceTest, MuslWritevShowsEachIovec) {
  RunResult r = Minivm({"--strace"}, "hello_musl");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.out, "hello from musl\n");
  EXPECT_TRUE(HasLine(r.err, Line(R"(writev(1, [{iov_base="hello from musl", iov_len=15}, )"
                                  R"({iov_base="\n", iov_len=1}], 2))",
                                  "16")))
      << r.err;
  EXPECT_EQ(CountMatching(r.err, std::regex(R"(ioctl\(1, TIOCGWINSZ, 0x[0-9a-f]+\) += -1 ENOTTY \(Inappropriate ioctl for device\))")),
            1)
      << r.err;
  ExpectOnlyStraceLines(r.err);
}

TEST_F(StraceTest, AFailingOpenShowsTheErrnoNameAndText) {
  RunResult r = Minivm({"--strace"}, kBusybox, {"cat", "/nonexistent"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 1) << r;
  // The first line, as strace's first: the execve that started the program
  // (minivm's environment is PATH and HOME).
  ASSERT_FALSE(Lines(r.err).empty());
  EXPECT_TRUE(std::regex_match(
      Lines(r.err)[0],
      std::regex(R"(execve\("/bin/busybox", \["/bin/busybox", "cat", "/nonexistent"\], 0x[0-9a-f]+ /\* 2 vars \*/\) = 0)")))
      << r.err;
  EXPECT_TRUE(HasLine(r.err, Line(R"(openat(AT_FDCWD, "/nonexistent", O_RDONLY))",
                                  "-1 ENOENT (No such file or directory)")))
      << r.err;
  // A string longer than 32 bytes is cut as strace cuts it.
  EXPECT_TRUE(HasLine(r.err, Line(R"(write(2, "cat: can't open '/nonexistent': "..., 58))", "58")))
      << r.err;
  EXPECT_TRUE(HasLine(r.err, Line("exit_group(1)", "?"))) << r.err;
  EXPECT_EQ(Lines(r.err).back(), "+++ exited with 1 +++");
}

TEST_F(StraceTest, TheExitStatusIsInTheLastLine) {
  RunResult r = Minivm({"--strace"}, "exit_status", {"3"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 3) << r;
  EXPECT_TRUE(HasLine(r.err, Line("exit_group(3)", "?"))) << r.err;
  EXPECT_EQ(Lines(r.err).back(), "+++ exited with 3 +++");
}

TEST_F(StraceTest, AFaultShowsTheSignalThenTheDeathThenMinivmsLine) {
  RunResult r = Minivm({"--strace"}, "segfault");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 139) << r;
  // The crash report (its own test: crash_report_test) comes between the
  // strace lines and minivm's last line.
  std::vector<std::string> lines;
  for (const std::string& line : Lines(r.err))
    if (line.rfind("minivm: crash: ", 0) != 0)
      lines.push_back(line);
  ASSERT_GE(lines.size(), 3u) << r.err;
  EXPECT_EQ(lines[lines.size() - 3],
            "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---");
  EXPECT_EQ(lines[lines.size() - 2], "+++ killed by SIGSEGV +++");
  EXPECT_EQ(lines.back().rfind("minivm: program killed by SIGSEGV (signal 11) at rip ", 0), 0u)
      << r.err;
}

TEST_F(StraceTest, ASignalFromKillShowsTheSender) {
  RunResult r = Minivm({"--strace"}, kBusybox, {"sh", "-c", "kill -USR1 $$"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 128 + 10) << r;
  std::smatch m;
  std::string pid;
  for (const std::string& l : Lines(r.err))
    if (std::regex_match(l, m, std::regex(R"(kill\((\d+), SIGUSR1\) += 0)"))) pid = m[1];
  ASSERT_FALSE(pid.empty()) << r.err;
  EXPECT_TRUE(HasLine(r.err, "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=" + pid +
                                 ", si_uid=1000} ---"))
      << r.err;
  std::vector<std::string> lines = Lines(r.err);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[lines.size() - 2], "+++ killed by SIGUSR1 +++");
  EXPECT_EQ(lines.back().rfind("minivm: program killed by SIGUSR1 (signal 10)", 0), 0u) << r.err;
}

TEST_F(StraceTest, BinaryDataIsEscapedLikeStrace) {
  // \1 before a digit takes three digits (\0010), as in strace's string_quote.
  RunResult r = Minivm({"--strace"}, kBusybox, {"printf", "\\0010\\001\\377\\\\x\\t\\n"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.out, std::string("\0010\001\377\\x\t\n"));
  EXPECT_TRUE(HasLine(r.err, Line(R"(write(1, "\0010\1\377\\x\t\n", 8))", "8"))) << r.err;
}

// strace -f: a "[pid N] " prefix once there are several processes, a blocked
// wait4 cut by the children's lines, their exits and the SIGCHLDs.
TEST_F(StraceTest, APipelineShowsEachProcessAndTheSigchld) {
  RunResult r = Minivm({"--strace"}, kBusybox, {"sh", "-c", "echo hi | /bin/busybox cat"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out, "hi\n");
  ExpectOnlyStraceLines(r.err);
  std::set<std::string> children;
  std::smatch m;
  for (const std::string& l : Lines(r.err))
    if (std::regex_match(l, m, std::regex(R"(clone\(child_stack=NULL, flags=CLONE_CHILD_CLEARTID\|CLONE_CHILD_SETTID\|SIGCHLD, child_tidptr=0x[0-9a-f]+\) += (\d+))")) ||
        std::regex_match(l, m, std::regex(R"(\[pid +\d+\] clone\(child_stack=NULL, flags=CLONE_CHILD_CLEARTID\|CLONE_CHILD_SETTID\|SIGCHLD, child_tidptr=0x[0-9a-f]+\) += (\d+))")))
      children.insert(m[1]);
  ASSERT_EQ(children.size(), 2u) << r.err;
  // SIGCHLD is a standard signal, not queued: when both children exit before
  // the shell runs, it gets one, with the first one's info (as on Linux).
  int sigchld_lines = 0;
  for (const std::string& child : children) {
    EXPECT_TRUE(HasLine(r.err, "[pid " + std::string(5 - std::min<size_t>(5, child.size()), ' ') + child +
                                "] +++ exited with 0 +++")) << r.err;
    int n = CountMatching(r.err, std::regex(R"((\[pid +\d+\] )?--- SIGCHLD \{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=)" + child +
                                            R"(, si_uid=1000, si_status=0, si_utime=0, si_stime=0\} ---)"));
    EXPECT_LE(n, 1) << r.err;
    sigchld_lines += n;
  }
  EXPECT_GE(sigchld_lines, 1) << r.err;
  EXPECT_EQ(CountMatching(r.err, std::regex(R"((\[pid +\d+\] )?--- SIGCHLD .*)")), sigchld_lines) << r.err;
  // echo's write in one child, cat's read and write in the other.
  EXPECT_EQ(CountMatching(r.err, std::regex(R"(\[pid +\d+\] write\(1, "hi\\n", 3\) += 3)")), 2)
      << r.err;
  EXPECT_EQ(CountMatching(r.err, std::regex(R"(\[pid +\d+\] read\(0, "hi\\n", \d+\) += 3)")), 1)
      << r.err;
  EXPECT_EQ(CountMatching(r.err, std::regex(R"(\[pid +\d+\] execve\("/bin/busybox", \["/bin/busybox", "cat"\], 0x[0-9a-f]+ /\* \d+ vars \*/\) += 0)")),
            1)
      << r.err;
  // The shell's wait4 is cut by the children's lines and resumed.
  EXPECT_GE(CountMatching(r.err, std::regex(R"(\[pid +\d+\] wait4\(-1,  <unfinished \.\.\.>)")), 1)
      << r.err;
  EXPECT_GE(CountMatching(r.err, std::regex(R"((\[pid +\d+\] )?<\.\.\. wait4 resumed>\[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 0\}\], 0, NULL\) += \d+)")),
            1)
      << r.err;
  EXPECT_EQ(Lines(r.err).back(), "+++ exited with 0 +++");
}

TEST_F(StraceTest, ThreadsGetTheirOwnPrefixAndExitLine) {
  RunResult r = Minivm({"--strace"}, "threads_glibc", {"stress", "2"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out, "stress 2: ok\n");
  ExpectOnlyStraceLines(r.err);
  EXPECT_GE(CountMatching(r.err, std::regex(R"(\[pid +\d+\] \+\+\+ exited with 0 \+\+\+)")), 2)
      << r.err;
  EXPECT_GE(CountMatching(r.err, std::regex(R"(\[pid +\d+\] futex\(0x[0-9a-f]+, FUTEX_.*)")), 1)
      << r.err;
}

// --strace-output FILE: the lines go to the file; the program's stdout and
// stderr are byte for byte what they are without --strace.
TEST_F(StraceTest, OutputFileLeavesTheProgramsOutputAlone) {
  std::vector<std::string> script = {"sh", "-c", "echo out; echo err >&2; echo more"};
  RunResult plain = Minivm({}, kBusybox, script);
  std::string file = outside_.path() + "/trace.txt";
  RunResult traced = Minivm({"--strace-output", file}, kBusybox, script);
  ASSERT_TRUE(traced.exited) << traced;
  EXPECT_EQ(traced.status, plain.status);
  EXPECT_EQ(traced.out, "out\nmore\n");
  EXPECT_EQ(traced.out, plain.out);
  EXPECT_EQ(traced.err, "err\n");
  EXPECT_EQ(traced.err, plain.err);
  std::string lines = ReadFile(file);
  EXPECT_TRUE(HasLine(lines, Line(R"(write(1, "out\n", 4))", "4"))) << lines;
  // busybox's sh moves stderr onto fd 1 for the redirection.
  EXPECT_TRUE(HasLine(lines, Line("dup2(2, 1)", "1"))) << lines;
  EXPECT_TRUE(HasLine(lines, Line(R"(write(1, "err\n", 4))", "4"))) << lines;
  EXPECT_EQ(Lines(lines).back(), "+++ exited with 0 +++");
  ExpectOnlyStraceLines(lines);
}

TEST_F(StraceTest, TheConfigKeysTurnItOn) {
  std::string file = outside_.path() + "/from_config.txt";
  std::string ini = outside_.Write("strace.ini", "[vm]\nstrace_output = " + file + "\n");
  RunResult r = Minivm({"-c", ini}, "hello_glibc");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(HasLine(ReadFile(file), Line(R"(write(1, "hello from glibc\n", 17))", "17")));

  std::string ini2 = outside_.Write("strace2.ini", "[vm]\nstrace = true\n");
  RunResult r2 = Minivm({"-c", ini2}, "hello_glibc");
  EXPECT_TRUE(HasLine(r2.err, Line(R"(write(1, "hello from glibc\n", 17))", "17"))) << r2;
}

TEST_F(StraceTest, AnUnopenableOutputFileIsAMinivmFailure) {
  RunResult r = Minivm({"--strace-output", outside_.path() + "/no/such/dir/t.txt"}, "hello_glibc");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 125) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("minivm: platform: --strace-output: cannot open " + outside_.path() +
                       "/no/such/dir/t.txt: No such file or directory"),
            std::string::npos)
      << r;
}

TEST_F(StraceTest, WithoutStraceNothingIsPrinted) {
  RunResult r = Minivm({}, kBusybox, {"sh", "-c", "echo hi | /bin/busybox cat"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.out, "hi\n");
  EXPECT_EQ(r.err, "");
}

}  // namespace
}  // namespace minivm_test

// Differential suite (issue 3): the same static binary runs natively and under
// minivm in the same fixture directory; stdout must be byte-identical and the
// exit status the same.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/differential/busybox_cases.h"
#include "tests/differential/debian_cases.h"
#include "tests/differential/fixture.h"
#include "tests/support/data_args.h"
#include "tests/support/kvm_required.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace minivm_test {
namespace {

const char kBusybox[] = "/bin/busybox";  // Debian's busybox-static (tools/setup.sh)

// What the guest sees as its environment by default; natively the same.
const std::vector<std::string> kNativeEnv = {"/usr/bin/env", "-i", "PATH=/bin:/usr/bin",
                                             "HOME=/"};

class Differential : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    fixture_ = new TempDir();
    fixture_error_ = BuildDifferentialFixture(fixture_->path(), kBusybox);
  }
  static void TearDownTestSuite() {
    delete fixture_;
    fixture_ = nullptr;
  }

  // Runs `program args` natively (behind `native_wrapper`, if any) and under
  // minivm (whose root is the fixture, or `root`); compares stdout and status.
  void ExpectSameBehaviour(const std::string& program, const std::vector<std::string>& args,
                           const std::string& stdin_data,
                           const std::vector<std::string>& native_wrapper = {},
                           const std::string& root = "") {
    MINIVM_NEED_KVM();
    ASSERT_EQ(fixture_error_, "");
    RunOptions options;
    options.cwd = fixture_->path();
    options.stdin_data = stdin_data;

    std::vector<std::string> native = native_wrapper;
    native.insert(native.end(), kNativeEnv.begin(), kNativeEnv.end());
    native.push_back(program);
    native.insert(native.end(), args.begin(), args.end());
    RunResult expected = RunCommand(native, options);
    // A native death by signal N is what minivm reports as status 128 + N.
    if (!expected.exited && expected.signal != 0 && !expected.timed_out) {
      expected.exited = true;
      expected.status = 128 + expected.signal;
    }
    ASSERT_TRUE(expected.exited) << expected;

    std::vector<std::string> guest = {DataPath("minivm"), "--root",
                                      root.empty() ? fixture_->path() : root,
                                      "--timeout", "20s", "--", program};
    guest.insert(guest.end(), args.begin(), args.end());
    RunResult actual = RunCommand(guest, options);
    ASSERT_TRUE(actual.exited) << actual;
    EXPECT_EQ(actual.status, expected.status) << "minivm: " << actual << "\nnative: " << expected;
    EXPECT_TRUE(actual.out == expected.out)
        << "stdout differs (" << actual.out.size() << " bytes under minivm, "
        << expected.out.size() << " natively)\nminivm: " << actual << "\nnative: " << expected;
  }

  static TempDir* fixture_;
  static std::string fixture_error_;
};

TempDir* Differential::fixture_ = nullptr;
std::string Differential::fixture_error_;

class BusyboxDifferential : public Differential,
                            public testing::WithParamInterface<DifferentialCase> {};

TEST_P(BusyboxDifferential, SameOutputAndStatus) {
  ExpectSameBehaviour(kBusybox, GetParam().args, GetParam().stdin_data);
}

INSTANTIATE_TEST_SUITE_P(Applets, BusyboxDifferential, testing::ValuesIn(BusyboxCases()),
                         [](const testing::TestParamInfo<DifferentialCase>& info) {
                           return info.param.name;
                         });

// Programs built by this project with glibc and with musl.
class LibcDifferential : public Differential,
                         public testing::WithParamInterface<std::string> {};

TEST_P(LibcDifferential, SameOutputAndStatus) {
  ExpectSameBehaviour(DataPath(GetParam()), {"tree"}, "stdin line\n");
}

INSTANTIATE_TEST_SUITE_P(Programs, LibcDifferential,
                         testing::Values("restricted_calls_glibc", "restricted_calls_musl",
                                         "libc_features_glibc", "libc_features_musl",
                                         "processes_glibc", "processes_musl",
                                         "user_buffers_glibc", "user_buffers_musl",
                                         "fuzz_findings_glibc", "fuzz_findings_musl",
                                         "file_mappings_glibc", "file_mappings_musl",
                                         "kernel_fs_glibc", "kernel_fs_musl",
                                         "threads_glibc", "threads_musl", "threads_cpp",
                                         "vector_state_glibc", "vector_state_musl"));

// Programs that must be pid 1, as the first process under minivm is: natively
// they run as pid 1 of a new pid namespace (and refuse to run otherwise), so
// what they do to "every process" never reaches the host's.
// minivm plays init and runs the program as pid 2; natively a shell is pid 1
// of a new pid namespace and runs it as pid 2.
class UnderInitDifferential : public Differential,
                              public testing::WithParamInterface<std::string> {};

TEST_P(UnderInitDifferential, SameOutputAndStatus) {
  ExpectSameBehaviour(DataPath(GetParam()), {}, "",
                      {"/usr/bin/unshare", "--pid", "--fork", "--kill-child", "/bin/sh", "-c",
                       "\"$0\" \"$@\"; exit $?"});
}

INSTANTIATE_TEST_SUITE_P(Programs, UnderInitDifferential,
                         testing::Values("kill_all_glibc", "kill_all_musl"));

// Debian's dynamically linked programs with the host's tree as the root:
// minivm starts in the fixture directory, as the native run does.
class DebianDifferential : public Differential, public testing::WithParamInterface<DebianCase> {};

TEST_P(DebianDifferential, SameOutputAndStatus) {
  const DebianCase& c = GetParam();
  std::vector<std::string> args(c.argv.begin() + 1, c.argv.end());
  ExpectSameBehaviour(c.argv[0], args, c.stdin_data, {}, "/");
}

INSTANTIATE_TEST_SUITE_P(Debian, DebianDifferential, testing::ValuesIn(DebianCases()),
                         [](const testing::TestParamInfo<DebianCase>& info) {
                           return info.param.name;
                         });

// Programs that change files (issue 12): each side gets its own fresh, empty
// directory, writable under minivm (--rw). Natively the program runs as
// minivm's guest identity, uid/gid 1000 without supplementary groups (when
// the test is root), from a copy inside that directory: Bazel's output tree
// is not reachable for that user, the working directory is.
class WritableDifferential : public testing::TestWithParam<std::string> {};

constexpr char kGuestId[] = "1000";

std::string CopyExecutable(const std::string& from, const std::string& dir) {
  std::ifstream in(from, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::string to = dir + "/program";
  std::ofstream(to, std::ios::binary) << bytes.str();
  chmod(to.c_str(), 0755);
  return to;
}

TEST_P(WritableDifferential, SameOutputAndStatus) {
  MINIVM_NEED_KVM();
  const std::string program = DataPath(GetParam());
  TempDir native_dir, guest_dir;
  RunOptions native_options;
  native_options.cwd = native_dir.path();
  std::vector<std::string> native;
  if (geteuid() == 0) {
    ASSERT_EQ(chmod(native_dir.path().c_str(), 0777), 0);
    CopyExecutable(program, native_dir.path());
    native = {"/usr/bin/setpriv", std::string("--reuid=") + kGuestId,
              std::string("--regid=") + kGuestId, "--clear-groups"};
    native.insert(native.end(), kNativeEnv.begin(), kNativeEnv.end());
    native.push_back("./program");
  } else {
    native = kNativeEnv;
    native.push_back(program);
  }
  RunResult expected = RunCommand(native, native_options);
  ASSERT_TRUE(expected.exited) << expected;

  RunOptions guest_options;
  guest_options.cwd = guest_dir.path();
  RunResult actual = RunCommand({DataPath("minivm"), "--rw", "--root", guest_dir.path(),
                                 "--timeout", "30s", "--", program},
                                guest_options);
  ASSERT_TRUE(actual.exited) << actual;
  EXPECT_EQ(actual.status, expected.status) << "minivm: " << actual << "\nnative: " << expected;
  EXPECT_TRUE(actual.out == expected.out)
      << "stdout differs\nminivm: " << actual << "\nnative: " << expected;
}

INSTANTIATE_TEST_SUITE_P(Programs, WritableDifferential,
                         testing::Values("file_metadata_glibc", "file_metadata_musl",
                                         "file_locks_glibc", "file_locks_musl"));

}  // namespace
}  // namespace minivm_test

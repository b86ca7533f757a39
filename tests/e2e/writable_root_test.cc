// --rw (issue 3): tools that create, change and delete files work beneath the
// root exactly as they do natively; without --rw every change is refused and
// the root is left untouched.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/data_args.h"
#include "tests/support/kvm_required.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace minivm_test {
namespace {

// Writes, renames, truncates, times and deletes, then lists what is left.
const char kScript[] =
    "echo one > a.txt && echo two >> a.txt && mkdir -p d/e && mv a.txt d/b.txt && "
    "cp d/b.txt c.txt && truncate -s 3 c.txt && touch -d '2020-01-02 03:04:05' c.txt && "
    "ln -s d/b.txt link && rm -r d/e && echo gone > x && rm x && sync && "
    "find . | sort && cat d/b.txt link c.txt && echo && stat -c '%n %s %Y' c.txt";

RunResult RunScript(const std::vector<std::string>& prefix, const std::string& dir) {
  std::vector<std::string> argv = prefix;
  argv.insert(argv.end(), {"/bin/busybox", "sh", "-c", kScript});
  RunOptions options;
  options.cwd = dir;
  return RunCommand(argv, options);
}

TEST(WritableRootTest, FileChangesMatchNative) {
  MINIVM_NEED_KVM();
  TempDir native_dir, guest_dir;
  RunResult native = RunScript({"/usr/bin/env", "-i", "TZ=UTC"}, native_dir.path());
  ASSERT_TRUE(native.exited && native.status == 0) << native;
  RunResult guest = RunScript({DataPath("minivm"), "--rw", "--root", guest_dir.path(), "--env",
                               "TZ=UTC", "--"},
                              guest_dir.path());
  ASSERT_TRUE(guest.exited) << guest;
  EXPECT_EQ(guest.status, 0) << guest;
  EXPECT_EQ(guest.out, native.out);
}

TEST(WritableRootTest, ReadOnlyByDefault) {
  MINIVM_NEED_KVM();
  TempDir dir;
  dir.Write("keep.txt", "unchanged\n");
  RunOptions options;
  options.cwd = dir.path();
  RunResult r = RunCommand({DataPath("minivm"), "--root", dir.path(), "--", "/bin/busybox", "sh",
                            "-c", "echo x > new.txt; rm keep.txt; mkdir d; echo status $?"},
                           options);
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.out, "status 1\n") << r;
  EXPECT_NE(r.err.find("Read-only file system"), std::string::npos) << r;
  RunResult ls = RunCommand({"/bin/ls", "-A", dir.path()});
  EXPECT_EQ(ls.out, "keep.txt\n");
}

// Like a native program, one whose stdout reader went away dies of SIGPIPE.
TEST(WritableRootTest, ClosedStdoutPipeEndsTheProgramLikeSigpipe) {
  MINIVM_NEED_KVM();
  TempDir dir;
  RunResult r = RunCommand(
      {"/bin/bash", "-c",
       "\"$0\" --root \"$1\" -- /bin/busybox yes | head -n 2; echo \"status ${PIPESTATUS[0]}\"",
       DataPath("minivm"), dir.path()});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.out, "y\ny\nstatus 141\n") << r;
}

}  // namespace
}  // namespace minivm_test

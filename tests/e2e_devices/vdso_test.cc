// The guest kernel's vDSO (guest/kernel/vdso/): AT_SYSINFO_EHDR in the auxv,
// the LINUX_2.6 symbols glibc and musl look up, agreement with the system
// calls, 100,000 monotonic clock_gettime calls served in user mode, and all
// of it again in a forked child and after execve (vdso_check.c).
#include "gtest/gtest.h"
#include "tests/e2e_devices/guest_runner.h"
#include "tests/support/kvm_required.h"

namespace minivm_test {
namespace {

const char kClockDevice[] = "[plugin clock]\n";
const char kAllChecks[] = "start ok\nfork ok\nexec ok\n";

class VdsoTest : public testing::Test {
 protected:
  void SetUp() override { MINIVM_NEED_KVM(); }
};

TEST_F(VdsoTest, GlibcAndMuslUseItWithTheClockDevice) {
  for (const char* program : {"vdso_check", "vdso_check_musl"}) {
    RunResult r = GuestRunner(kClockDevice).Run(program);
    ASSERT_TRUE(r.exited) << program << ": " << r;
    EXPECT_EQ(r.status, 0) << program << ": " << r;
    EXPECT_EQ(r.out, kAllChecks) << program << ": " << r;
  }
}

TEST_F(VdsoTest, WorksWithoutTheClockDevice) {
  RunResult r = GuestRunner("").Run("vdso_check");
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_EQ(r.out, kAllChecks) << r;
}

}  // namespace
}  // namespace minivm_test

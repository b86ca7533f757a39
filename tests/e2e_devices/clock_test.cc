// The clock device (issue 4): with `start = ...` the guest's wall clock starts
// at that instant (busybox date prints it); every clock agrees and never goes
// back across the kernel's re-anchoring; without the device the fallback
// (boot time + TSC) gives the host's time.
#include <time.h>

#include <regex>
#include <string>

#include "gtest/gtest.h"
#include "tests/e2e_devices/guest_runner.h"
#include "tests/support/kvm_required.h"

namespace minivm_test {
namespace {

const char kFixedStart[] = "[plugin clock]\nstart = 2024-01-01T00:00:00Z\n";
const long long kFixedEpoch = 1704067200;  // date -u -d @1704067200: Mon Jan  1 00:00:00 UTC 2024

class ClockTest : public testing::Test {
 protected:
  void SetUp() override { MINIVM_NEED_KVM(); }

  // `date -u +%s` in the guest.
  long long GuestSeconds(const char* devices) {
    RunResult r = GuestRunner(devices).Run(kBusybox, {"date", "-u", "+%s"});
    EXPECT_TRUE(r.exited && r.status == 0) << r;
    return std::stoll(r.out);
  }
};

TEST_F(ClockTest, FixedStartIsWhatDatePrints) {
  RunResult r = GuestRunner(kFixedStart).Run(kBusybox, {"date", "-u"});
  ASSERT_TRUE(r.exited) << r;
  EXPECT_EQ(r.status, 0) << r;
  // The clock runs from the start; booting takes well under a second, a
  // loaded test machine is allowed two.
  EXPECT_TRUE(std::regex_match(r.out, std::regex("Mon Jan  1 00:00:0[0-2] UTC 2024\n"))) << r;
}

TEST_F(ClockTest, FixedStartInSeconds) {
  long long s = GuestSeconds(kFixedStart);
  EXPECT_GE(s, kFixedEpoch);
  EXPECT_LE(s, kFixedEpoch + 2);
}

TEST_F(ClockTest, ClocksAgreeAndNeverGoBack) {
  for (const char* program : {"clock_check", "clock_check_musl"}) {
    RunResult r = GuestRunner(kFixedStart).Run(program);
    ASSERT_TRUE(r.exited) << r;
    EXPECT_EQ(r.status, 0) << program << ": " << r;
    EXPECT_TRUE(std::regex_match(r.out, std::regex("start 170406720[0-2]\nok\n"))) << r;
  }
}

TEST_F(ClockTest, WithoutTheDeviceTheFallbackGivesHostTime) {
  long long host = time(nullptr);
  long long guest = GuestSeconds("");
  EXPECT_GE(guest, host - 1);
  EXPECT_LE(guest, host + 10);
  RunResult r = GuestRunner("").Run("clock_check");
  EXPECT_TRUE(r.exited && r.status == 0) << r;
}

TEST_F(ClockTest, DefaultConfigFollowsTheHostClock) {
  long long host = time(nullptr);
  long long guest = GuestSeconds(nullptr);
  EXPECT_GE(guest, host - 1);
  EXPECT_LE(guest, host + 10);
}

}  // namespace
}  // namespace minivm_test

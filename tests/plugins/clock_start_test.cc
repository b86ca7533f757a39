// The clock plugin's `start` key: the wall clock starts at the configured
// instant (ISO 8601 UTC or seconds since the epoch) and runs at real speed,
// FLAGS says so, and a value that is not an instant is reported.
#include "clock/clock_abi.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/plugins/mmio_fixture.h"

namespace {

constexpr uint64_t kSecond = 1000000000;
constexpr uint64_t k2024 = 1704067200 * kSecond;  // 2024-01-01T00:00:00Z
constexpr uint64_t kTolerance = kSecond / 2;      // time from load to read, generously

class ClockStartTest : public ::testing::Test {
 protected:
  ::testing::AssertionResult LoadWithStart(const char *start) {
    dev_.host().SetConfig("start", start);
    return dev_.LoadOk();
  }
  MmioDevice dev_{"plugins/clock/clock.so", CLOCK_KIND};
};

TEST_F(ClockStartTest, StartSetsTheWallClockAndTheFlag) {
  for (const char *start : {"2024-01-01T00:00:00Z", "1704067200"}) {
    MmioDevice dev("plugins/clock/clock.so", CLOCK_KIND);
    dev.host().SetConfig("start", start);
    ASSERT_TRUE(dev.LoadOk());
    uint64_t now = dev.Get(CLOCK_REG_REALTIME_NS);
    EXPECT_GE(now, k2024) << start;
    EXPECT_LT(now, k2024 + kTolerance) << start;
    EXPECT_EQ(dev.Get(CLOCK_REG_FLAGS), CLOCK_FLAG_FIXED_START) << start;
  }
}

TEST_F(ClockStartTest, FractionOfASecondIsKept) {
  ASSERT_TRUE(LoadWithStart("2024-01-01T00:00:00.75Z"));
  uint64_t now = dev_.Get(CLOCK_REG_REALTIME_NS);
  EXPECT_GE(now, k2024 + 3 * kSecond / 4);
  EXPECT_LT(now, k2024 + 3 * kSecond / 4 + kTolerance);
}

TEST_F(ClockStartTest, StartedClockRunsAtRealSpeed) {
  ASSERT_TRUE(LoadWithStart("2024-01-01T00:00:00Z"));
  uint64_t first = dev_.Get(CLOCK_REG_REALTIME_NS);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  uint64_t second = dev_.Get(CLOCK_REG_REALTIME_NS);
  EXPECT_GE(second - first, kSecond / 10);
  EXPECT_LT(second - first, kSecond / 10 + kTolerance);
}

TEST_F(ClockStartTest, BadStartValuesAreReported) {
  for (const char *start : {"", "yesterday", "-1", "2024-01-01", "2024-01-01T00:00:00",
                            "2024-01-01 00:00:00Z", "2024-01-01T00:00:00+01:00",
                            "2024-13-01T00:00:00Z", "2024-01-01T00:00:00.Z", "1e9",
                            "99999999999", "9999-12-31T23:59:59Z"}) {
    MmioDevice dev("plugins/clock/clock.so", CLOCK_KIND);
    dev.host().SetConfig("start", start);
    EXPECT_NE(dev.Load(), 0) << "start \"" << start << "\"";
    EXPECT_TRUE(dev.ConfigErrorFor("start")) << "start \"" << start << "\"";
    EXPECT_TRUE(dev.host().mmio_registrations().empty()) << "start \"" << start << "\"";
  }
}

}  // namespace

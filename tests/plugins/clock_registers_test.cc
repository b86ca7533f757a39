// The clock plugin's registers (clock_abi.h) without a fixed start: 8-byte
// reads only, MONOTONIC never goes back and runs at real speed, REALTIME is
// the host's wall clock, FLAGS is clear.
#include "clock/clock_abi.h"

#include <gtest/gtest.h>
#include <time.h>

#include <chrono>
#include <thread>

#include "tests/plugins/mmio_fixture.h"

namespace {

constexpr int64_t kMs = 1000000;

int64_t HostNs(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

class ClockRegistersTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dev_.LoadOk()); }
  MmioDevice dev_{"plugins/clock/clock.so", CLOCK_KIND};
};

TEST_F(ClockRegistersTest, OnlyEightByteReadsAreAccepted) {
  uint64_t v;
  for (uint64_t reg : {CLOCK_REG_REALTIME_NS, CLOCK_REG_MONOTONIC_NS, CLOCK_REG_FLAGS}) {
    EXPECT_EQ(dev_.Read(reg, 8, &v), 0) << reg;
    for (uint8_t size : {1, 2, 4}) EXPECT_NE(dev_.Read(reg, size, &v), 0) << reg << "/" << int{size};
    for (uint8_t size : {1, 2, 4, 8}) EXPECT_NE(dev_.Write(reg, size, 0), 0) << reg << "/" << int{size};
  }
}

TEST_F(ClockRegistersTest, UnknownAndUnalignedOffsetsAreRefused) {
  uint64_t v;
  for (uint64_t offset : {0x04, 0x0c, 0x11, 0x18, 0x20, 0xff8}) {
    EXPECT_NE(dev_.Read(offset, 8, &v), 0) << offset;
    EXPECT_NE(dev_.Read(offset, 4, &v), 0) << offset;
  }
}

TEST_F(ClockRegistersTest, MonotonicNeverGoesBack) {
  uint64_t last = dev_.Get(CLOCK_REG_MONOTONIC_NS);
  for (int i = 0; i < 10000; i++) {
    uint64_t now = dev_.Get(CLOCK_REG_MONOTONIC_NS);
    ASSERT_GE(now, last) << "read " << i;
    last = now;
  }
}

TEST_F(ClockRegistersTest, MonotonicCountsFromLoadAtRealSpeed) {
  int64_t before = HostNs(CLOCK_MONOTONIC);
  uint64_t first = dev_.Get(CLOCK_REG_MONOTONIC_NS);
  EXPECT_LT(first, uint64_t{5000} * kMs) << "not counted from the VM's start";
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  uint64_t second = dev_.Get(CLOCK_REG_MONOTONIC_NS);
  int64_t host_elapsed = HostNs(CLOCK_MONOTONIC) - before;
  EXPECT_GE(second - first, uint64_t{50} * kMs);
  EXPECT_LE(static_cast<int64_t>(second - first), host_elapsed);
}

TEST_F(ClockRegistersTest, RealtimeIsTheHostWallClock) {
  int64_t before = HostNs(CLOCK_REALTIME);
  int64_t guest = static_cast<int64_t>(dev_.Get(CLOCK_REG_REALTIME_NS));
  int64_t after = HostNs(CLOCK_REALTIME);
  EXPECT_GE(guest, before);
  EXPECT_LE(guest, after);
  EXPECT_EQ(dev_.Get(CLOCK_REG_FLAGS), 0u);
}

}  // namespace

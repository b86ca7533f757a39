// The `address` key both MMIO device plugins share: where the 4 KiB window
// goes, and what is refused (with a config error naming the key, or by the
// host when the window is not in the MMIO hole).
#include <gtest/gtest.h>

#include <string>

#include "clock/clock_abi.h"
#include "rng/rng_abi.h"
#include "tests/plugins/mmio_fixture.h"

namespace {

struct Device {
  const char *so;
  const char *kind;
  uint64_t default_address;
};

class MmioAddressTest : public ::testing::TestWithParam<Device> {
 protected:
  MmioDevice dev_{GetParam().so, GetParam().kind};
};

TEST_P(MmioAddressTest, DefaultWindow) {
  ASSERT_TRUE(dev_.LoadOk());
  EXPECT_EQ(dev_.base(), GetParam().default_address);
  EXPECT_EQ(dev_.host().FindMmioKind(GetParam().kind)->size, 0x1000u);
}

TEST_P(MmioAddressTest, AddressMovesTheWindow) {
  dev_.host().SetConfig("address", "0xC0010000");
  ASSERT_TRUE(dev_.LoadOk());
  EXPECT_EQ(dev_.base(), 0xC0010000u);
  uint64_t v = 0;
  EXPECT_EQ(dev_.host().Mmio(GetParam().default_address, false, 8, &v), -100)
      << "still answers at the default address";
}

TEST_P(MmioAddressTest, BadAddressesAreReported) {
  for (const char *address : {"0xC0000010", "0xC0000800", "C0000000", "-1", "", "0x100000000"}) {
    MmioDevice dev(GetParam().so, GetParam().kind);
    dev.host().SetConfig("address", address);
    EXPECT_NE(dev.Load(), 0) << address;
    EXPECT_TRUE(dev.ConfigErrorFor("address")) << address;
  }
}

TEST_P(MmioAddressTest, WindowOutsideTheMmioHoleIsRefused) {
  dev_.host().SetConfig("address", "0x100000");
  EXPECT_NE(dev_.Load(), 0);
  EXPECT_TRUE(dev_.host().mmio_registrations().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Devices, MmioAddressTest,
    ::testing::Values(Device{"plugins/rng/rng.so", RNG_KIND, 0xC0000000},
                      Device{"plugins/clock/clock.so", CLOCK_KIND, 0xC0001000}),
    [](const ::testing::TestParamInfo<Device> &info) { return std::string(info.param.kind); });

}  // namespace

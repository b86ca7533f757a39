// The rng plugin's `seed` key: a seeded device gives the same stream on
// every run (so a run can be reproduced byte for byte), another seed another
// stream, and a value that is not a non-negative integer is reported.
#include "rng/rng_abi.h"

#include <gtest/gtest.h>
#include <sys/syscall.h>

#include <string>

#include "tests/plugins/mmio_fixture.h"

namespace {

// The first `len` bytes a fresh device gives with `seed` (through DATA and a fill).
std::string Stream(const char *seed, size_t len = 256) {
  MmioDevice dev("plugins/rng/rng.so", RNG_KIND);
  if (seed != nullptr) dev.host().SetConfig("seed", seed);
  EXPECT_TRUE(dev.LoadOk());
  std::string out;
  while (out.size() < len / 2) {
    uint64_t v = dev.Get(RNG_REG_DATA, 8);
    out.append(reinterpret_cast<const char *>(&v), 8);
  }
  EXPECT_EQ(dev.Write(RNG_REG_FILL_GPA, 8, 0x1000), 0);
  EXPECT_EQ(dev.Write(RNG_REG_FILL_LEN, 8, len - out.size()), 0);
  return out + dev.host().Peek(0x1000, len - out.size());
}

TEST(RngSeedTest, SameSeedSameStream) { EXPECT_EQ(Stream("42"), Stream("42")); }

TEST(RngSeedTest, OtherSeedOtherStream) { EXPECT_NE(Stream("42"), Stream("43")); }

TEST(RngSeedTest, SeedInHexIsTheSameNumber) { EXPECT_EQ(Stream("0x2a"), Stream("42")); }

TEST(RngSeedTest, UnseededDeviceDiffersEveryRun) { EXPECT_NE(Stream(nullptr), Stream(nullptr)); }

TEST(RngSeedTest, SeededDeviceNeedsNoSystemCall) {
  MmioDevice dev("plugins/rng/rng.so", RNG_KIND);
  dev.host().SetConfig("seed", "42");
  ASSERT_TRUE(dev.LoadOk());
  for (const FakeHost::SeccompGrant &g : dev.host().seccomp_grants())
    EXPECT_NE(g.syscall_nr, SYS_getrandom);
}

TEST(RngSeedTest, BadSeedsAreReported) {
  for (const char *seed : {"", "-1", " 42", "42x", "abc", "4.2", "18446744073709551616"}) {
    MmioDevice dev("plugins/rng/rng.so", RNG_KIND);
    dev.host().SetConfig("seed", seed);
    EXPECT_NE(dev.Load(), 0) << "seed \"" << seed << "\"";
    EXPECT_TRUE(dev.ConfigErrorFor("seed")) << "seed \"" << seed << "\"";
    EXPECT_TRUE(dev.host().mmio_registrations().empty());
  }
}

TEST(RngSeedTest, LargestSeedIsAccepted) {
  EXPECT_EQ(Stream("18446744073709551615"), Stream("0xffffffffffffffff"));
}

}  // namespace

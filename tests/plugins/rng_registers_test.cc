// The rng plugin's register file (rng_abi.h): DATA at every width, FLAGS,
// and every access the device must refuse (the core then ends the VM).
#include "rng/rng_abi.h"

#include <gtest/gtest.h>
#include <sys/syscall.h>

#include <cstring>
#include <string>

#include "tests/plugins/mmio_fixture.h"

extern "C" {
#include "rng/byte_source.h"
}

namespace {

class RngRegistersTest : public ::testing::Test {
 protected:
  MmioDevice dev_{"plugins/rng/rng.so", RNG_KIND};
};

TEST_F(RngRegistersTest, RegistersOneWindowAndAsksForGetrandom) {
  ASSERT_TRUE(dev_.LoadOk());
  const FakeHost::MmioRegistration *r = dev_.host().FindMmioKind(RNG_KIND);
  EXPECT_EQ(r->gpa, 0xC0000000u);
  EXPECT_EQ(r->size, RNG_WINDOW_SIZE);
  bool getrandom = false;
  for (const FakeHost::SeccompGrant &g : dev_.host().seccomp_grants())
    getrandom |= g.syscall_nr == SYS_getrandom;
  EXPECT_TRUE(getrandom);
}

TEST_F(RngRegistersTest, DataReadsGiveExactlyTheirWidthOfRandomBytes) {
  ASSERT_TRUE(dev_.LoadOk());
  for (uint8_t size : {1, 2, 4, 8}) {
    uint64_t seen_top_byte = 0;
    for (int i = 0; i < 64; i++) {
      uint64_t v = dev_.Get(RNG_REG_DATA, size);
      if (size < 8) {
        EXPECT_EQ(v >> (8 * size), 0u) << "bytes beyond a " << int{size} << "-byte read";
      }
      seen_top_byte |= v >> (8 * (size - 1));
    }
    // 64 reads whose top byte is always 0 would mean the width is short.
    EXPECT_NE(seen_top_byte, 0u) << int{size} << "-byte reads";
  }
}

TEST_F(RngRegistersTest, SeededDataReadsFollowTheSeededStream) {
  dev_.host().SetConfig("seed", "42");
  ASSERT_TRUE(dev_.LoadOk());
  std::string got;
  for (uint8_t size : {1, 2, 4, 8}) {
    uint64_t v = dev_.Get(RNG_REG_DATA, size);
    got.append(reinterpret_cast<const char *>(&v), size);  // little-endian: the first bytes
  }
  byte_source want;
  byte_source_init_seeded(&want, 42);
  std::string expected(15, '\0');
  ASSERT_EQ(byte_source_read(&want, &expected[0], expected.size()), 0);
  EXPECT_EQ(got, expected);
}

TEST_F(RngRegistersTest, FlagsTellWhetherSeeded) {
  ASSERT_TRUE(dev_.LoadOk());
  EXPECT_EQ(dev_.Get(RNG_REG_FLAGS, 4), 0u);

  MmioDevice seeded("plugins/rng/rng.so", RNG_KIND);
  seeded.host().SetConfig("seed", "1");
  ASSERT_TRUE(seeded.LoadOk());
  EXPECT_EQ(seeded.Get(RNG_REG_FLAGS, 4), RNG_FLAG_DETERMINISTIC);
}

TEST_F(RngRegistersTest, FlagsIsReadOnlyAndFourBytesWide) {
  ASSERT_TRUE(dev_.LoadOk());
  uint64_t v;
  for (uint8_t size : {1, 2, 8}) EXPECT_NE(dev_.Read(RNG_REG_FLAGS, size, &v), 0) << int{size};
  for (uint8_t size : {1, 2, 4, 8}) EXPECT_NE(dev_.Write(RNG_REG_FLAGS, size, 1), 0) << int{size};
}

TEST_F(RngRegistersTest, DataIsReadOnly) {
  ASSERT_TRUE(dev_.LoadOk());
  for (uint8_t size : {1, 2, 4, 8}) EXPECT_NE(dev_.Write(RNG_REG_DATA, size, 7), 0) << int{size};
}

TEST_F(RngRegistersTest, FillRegistersTakeOnlyEightByteAccesses) {
  ASSERT_TRUE(dev_.LoadOk());
  uint64_t v;
  EXPECT_NE(dev_.Read(RNG_REG_FILL_GPA, 8, &v), 0) << "FILL_GPA is write-only";
  for (uint8_t size : {1, 2, 4}) {
    EXPECT_NE(dev_.Write(RNG_REG_FILL_GPA, size, 0x1000), 0) << int{size};
    EXPECT_NE(dev_.Write(RNG_REG_FILL_LEN, size, 16), 0) << int{size};
    EXPECT_NE(dev_.Read(RNG_REG_FILL_LEN, size, &v), 0) << int{size};
  }
}

TEST_F(RngRegistersTest, UnknownAndUnalignedOffsetsAreRefused) {
  ASSERT_TRUE(dev_.LoadOk());
  uint64_t v;
  for (uint64_t offset : {0x01, 0x04, 0x09, 0x0c, 0x11, 0x19, 0x20, 0x100, 0xff8}) {
    for (uint8_t size : {1, 2, 4, 8}) {
      if (offset + size > RNG_WINDOW_SIZE) continue;
      EXPECT_NE(dev_.Read(offset, size, &v), 0) << "read " << int{size} << " at " << offset;
      EXPECT_NE(dev_.Write(offset, size, 0), 0) << "write " << int{size} << " at " << offset;
    }
  }
}

}  // namespace

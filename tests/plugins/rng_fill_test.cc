// The rng plugin's one-exit fill (FILL_GPA, FILL_LEN): bytes land in guest
// RAM exactly where asked, a range that is not RAM reads back 0 bytes
// filled, and a length of 0 or above RNG_FILL_MAX is refused.
#include "rng/rng_abi.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/plugins/mmio_fixture.h"

extern "C" {
#include "rng/byte_source.h"
}

namespace {

constexpr uint64_t kDest = 0x4000;

class RngFillTest : public ::testing::Test {
 protected:
  // Starts a fill of `len` bytes at `gpa`; returns the handler's result.
  int Fill(uint64_t gpa, uint64_t len) {
    EXPECT_EQ(dev_.Write(RNG_REG_FILL_GPA, 8, gpa), 0);
    return dev_.Write(RNG_REG_FILL_LEN, 8, len);
  }
  uint64_t Filled() { return dev_.Get(RNG_REG_FILL_LEN); }

  MmioDevice dev_{"plugins/rng/rng.so", RNG_KIND};
};

TEST_F(RngFillTest, FillLandsInGuestRamAndNowhereElse) {
  ASSERT_TRUE(dev_.LoadOk());
  FakeHost &host = dev_.host();
  host.Poke(kDest - 16, std::string(16 + 64 + 16, '\xaa'));
  ASSERT_EQ(Fill(kDest, 64), 0);
  EXPECT_EQ(Filled(), 64u);
  EXPECT_EQ(host.Peek(kDest - 16, 16), std::string(16, '\xaa')) << "bytes before the range";
  EXPECT_EQ(host.Peek(kDest + 64, 16), std::string(16, '\xaa')) << "bytes after the range";
  EXPECT_NE(host.Peek(kDest, 64), std::string(64, '\xaa')) << "the range was not filled";
}

TEST_F(RngFillTest, SeededFillIsTheSeededStream) {
  dev_.host().SetConfig("seed", "42");
  ASSERT_TRUE(dev_.LoadOk());
  ASSERT_EQ(Fill(kDest, 300), 0);
  byte_source want;
  byte_source_init_seeded(&want, 42);
  std::string expected(300, '\0');
  ASSERT_EQ(byte_source_read(&want, &expected[0], expected.size()), 0);
  EXPECT_EQ(dev_.host().Peek(kDest, 300), expected);
}

TEST_F(RngFillTest, LargestFillIsAccepted) {
  ASSERT_TRUE(dev_.LoadOk());
  ASSERT_EQ(Fill(kDest, RNG_FILL_MAX), 0);
  EXPECT_EQ(Filled(), RNG_FILL_MAX);
}

TEST_F(RngFillTest, FillOutsideRamReadsBackZero) {
  ASSERT_TRUE(dev_.LoadOk());
  FakeHost &host = dev_.host();
  uint64_t end = host.ram_size();
  host.Poke(end - 16, std::string(16, '\xaa'));
  struct Case {
    uint64_t gpa, len;
  };
  for (Case c : {Case{end - 16, 32}, {end, 1}, {0xC0000000, 8}, {~0ull - 4, 16}}) {
    ASSERT_EQ(Fill(kDest, 8), 0);
    ASSERT_EQ(Filled(), 8u);
    EXPECT_EQ(Fill(c.gpa, c.len), 0) << "not RAM is not a malformed access";
    EXPECT_EQ(Filled(), 0u) << std::hex << c.gpa << "+" << c.len;
  }
  EXPECT_EQ(host.Peek(end - 16, 16), std::string(16, '\xaa')) << "a partial fill happened";
}

TEST_F(RngFillTest, ZeroOrOversizedLengthIsRefused) {
  ASSERT_TRUE(dev_.LoadOk());
  ASSERT_EQ(Fill(kDest, 8), 0);
  EXPECT_NE(Fill(kDest, 0), 0);
  EXPECT_EQ(Filled(), 0u) << "a refused fill still reports the previous one";
  EXPECT_NE(Fill(kDest, RNG_FILL_MAX + 1), 0);
  EXPECT_NE(Fill(kDest, ~0ull), 0);
  EXPECT_EQ(Filled(), 0u);
}

}  // namespace

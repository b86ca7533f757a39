// guest_memory_ptr: the one checked gpa → host translation, around the MMIO
// hole and at the edges of the 64-bit space.
#include <stdint.h>

#include <string>

#include "gtest/gtest.h"

extern "C" {
#include "core/guest_memory.h"
#include "minivm/boot_info.h"
}

namespace {

constexpr uint64_t kMiB = 1ull << 20;
constexpr uint64_t kGiB = 1ull << 30;

class GuestMemoryTest : public ::testing::Test {
 protected:
  void TearDown() override { guest_memory_destroy(&mem_); }
  guest_memory mem_ = {};
};

TEST_F(GuestMemoryTest, SmallGuestIsAllLowRam) {
  ASSERT_EQ(guest_memory_init(&mem_, 64 * kMiB), 0);
  EXPECT_EQ(mem_.size, 64 * kMiB);
  EXPECT_EQ(mem_.low_size, 64 * kMiB);
  EXPECT_EQ(mem_.high_size, 0u);
  uint8_t* base = mem_.host_base;
  EXPECT_EQ(guest_memory_ptr(&mem_, 0, 1), base);
  EXPECT_EQ(guest_memory_ptr(&mem_, 0, 64 * kMiB), base);
  EXPECT_EQ(guest_memory_ptr(&mem_, 64 * kMiB - 8, 8), base + 64 * kMiB - 8);
  EXPECT_EQ(guest_memory_ptr(&mem_, 64 * kMiB - 8, 9), nullptr);
  EXPECT_EQ(guest_memory_ptr(&mem_, 0, 64 * kMiB + 1), nullptr);
  EXPECT_EQ(guest_memory_ptr(&mem_, 64 * kMiB, 1), nullptr);
  EXPECT_EQ(guest_memory_ptr(&mem_, MINIVM_HIGH_RAM_START, 0), nullptr)
      << "no high RAM in a 64 MiB guest";
  // The memory is really there, zeroed and writable.
  uint8_t* last = static_cast<uint8_t*>(guest_memory_ptr(&mem_, 64 * kMiB - 1, 1));
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(*last, 0);
  *last = 0xab;
  EXPECT_EQ(base[64 * kMiB - 1], 0xab);
}

TEST_F(GuestMemoryTest, LargeGuestSplitsAroundTheMmioHole) {
  const uint64_t size = 4 * kGiB + 2 * kMiB;
  ASSERT_EQ(guest_memory_init(&mem_, size), 0);
  const uint64_t low = MINIVM_MMIO_HOLE_START;
  const uint64_t high = size - low;
  EXPECT_EQ(mem_.low_size, low);
  EXPECT_EQ(mem_.high_size, high);
  uint8_t* base = mem_.host_base;
  // Low RAM up to the hole.
  EXPECT_EQ(guest_memory_ptr(&mem_, low - 4, 4), base + low - 4);
  EXPECT_EQ(guest_memory_ptr(&mem_, low - 4, 5), nullptr);  // into the hole
  // The hole and the gap up to 4 GiB are not RAM.
  const uint64_t not_ram[] = {low, low + 0x1000, MINIVM_MMIO_HOLE_END, MINIVM_HIGH_RAM_START - 1};
  for (uint64_t gpa : not_ram)
    EXPECT_EQ(guest_memory_ptr(&mem_, gpa, 1), nullptr) << std::hex << gpa;
  // A range from low RAM across the hole to high RAM is refused.
  EXPECT_EQ(guest_memory_ptr(&mem_, low - 1, MINIVM_HIGH_RAM_START - low + 2), nullptr);
  // High RAM maps right after low RAM in the host mapping.
  EXPECT_EQ(guest_memory_ptr(&mem_, MINIVM_HIGH_RAM_START, 1), base + low);
  EXPECT_EQ(guest_memory_ptr(&mem_, MINIVM_HIGH_RAM_START, high), base + low);
  EXPECT_EQ(guest_memory_ptr(&mem_, MINIVM_HIGH_RAM_START + high - 1, 1), base + size - 1);
  EXPECT_EQ(guest_memory_ptr(&mem_, MINIVM_HIGH_RAM_START + high - 1, 2), nullptr);
  EXPECT_EQ(guest_memory_ptr(&mem_, MINIVM_HIGH_RAM_START + high, 1), nullptr);
  EXPECT_EQ(guest_memory_ptr(&mem_, MINIVM_HIGH_RAM_START, high + 1), nullptr);
}

TEST_F(GuestMemoryTest, LengthZero) {
  ASSERT_EQ(guest_memory_init(&mem_, 4 * kGiB), 0);
  const uint64_t low = mem_.low_size, high = mem_.high_size;
  // Allowed inside RAM and at the end of each range (plugin.h: guest_ptr).
  EXPECT_EQ(guest_memory_ptr(&mem_, 0, 0), mem_.host_base);
  EXPECT_EQ(guest_memory_ptr(&mem_, low, 0), mem_.host_base + low);
  EXPECT_EQ(guest_memory_ptr(&mem_, MINIVM_HIGH_RAM_START + high, 0), mem_.host_base + 4 * kGiB);
  // Not beyond.
  EXPECT_EQ(guest_memory_ptr(&mem_, low + 1, 0), nullptr);
  EXPECT_EQ(guest_memory_ptr(&mem_, MINIVM_HIGH_RAM_START + high + 1, 0), nullptr);
  EXPECT_EQ(guest_memory_ptr(&mem_, UINT64_MAX, 0), nullptr);
}

TEST_F(GuestMemoryTest, OverflowingRangesAreRefused) {
  ASSERT_EQ(guest_memory_init(&mem_, 4 * kGiB + 2 * kMiB), 0);
  const uint64_t cases[][2] = {
      {UINT64_MAX, 1},
      {UINT64_MAX - 7, 8},
      {UINT64_MAX, UINT64_MAX},
      {0, UINT64_MAX},
      {1, UINT64_MAX},
      {0x1000, UINT64_MAX - 0xfff},          // gpa + len wraps to 0
      {0x1000, UINT64_MAX - 0x0fff + 0x10},  // wraps to a small address
      {MINIVM_HIGH_RAM_START, UINT64_MAX},
      {MINIVM_HIGH_RAM_START + 0x1000, UINT64_MAX - MINIVM_HIGH_RAM_START - 0xfff},
      {UINT64_MAX - MINIVM_HIGH_RAM_START + 1, MINIVM_HIGH_RAM_START},
  };
  for (const auto& c : cases)
    EXPECT_EQ(guest_memory_ptr(&mem_, c[0], c[1]), nullptr)
        << std::hex << "gpa 0x" << c[0] << " len 0x" << c[1];
}

TEST_F(GuestMemoryTest, UninitialisedMemoryTranslatesNothing) {
  EXPECT_EQ(guest_memory_ptr(&mem_, 0, 0), nullptr);
  EXPECT_EQ(guest_memory_ptr(&mem_, 0, 1), nullptr);
}

TEST_F(GuestMemoryTest, BadSizesAreRefused) {
  const uint64_t bad[] = {0, GUEST_MEMORY_MIN - 2 * kMiB, GUEST_MEMORY_MIN + 4096,
                          64 * kMiB + 1, GUEST_MEMORY_MAX + 2 * kMiB, UINT64_MAX};
  for (uint64_t size : bad) {
    testing::internal::CaptureStderr();
    EXPECT_EQ(guest_memory_init(&mem_, size), -1) << size;
    std::string err = testing::internal::GetCapturedStderr();
    EXPECT_PRED_FORMAT2(testing::IsSubstring, "minivm: guest memory size " + std::to_string(size),
                        err);
    EXPECT_EQ(mem_.host_base, nullptr);
  }
  // The limits themselves are fine (MAP_NORESERVE: the maximum costs nothing).
  for (uint64_t size : {(uint64_t)GUEST_MEMORY_MIN, (uint64_t)GUEST_MEMORY_MAX}) {
    ASSERT_EQ(guest_memory_init(&mem_, size), 0) << size;
    EXPECT_EQ(mem_.low_size + mem_.high_size, size);
    guest_memory_destroy(&mem_);
  }
}

}  // namespace

// The two boot page-table layouts of minivm/boot_info.h, read back from guest
// memory: the upper-half one every KVM gets, and PVM's lower-half one (U-bit
// kernel pages, an 8 KiB-aligned PGD pair with an empty user PGD, no global
// pages).
#include <cstdint>

#include "gtest/gtest.h"

extern "C" {
#include "core/guest_memory.h"
#include "core/long_mode.h"
#include "minivm/boot_info.h"
}

namespace {

constexpr uint64_t kPresent = 1, kWritable = 2, kUser = 4, kLarge = 0x80, kGlobal = 0x100;
constexpr uint64_t kNx = 1ull << 63;
constexpr uint64_t kAddr = 0x000ffffffffff000ull;

class LongModeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(guest_memory_init(&mem_, 64ull << 20), 0); }
  void TearDown() override { guest_memory_destroy(&mem_); }

  const uint64_t* Table(uint64_t gpa) {
    return static_cast<const uint64_t*>(guest_memory_ptr(&mem_, gpa & kAddr, MINIVM_PAGE_SIZE));
  }
  // The 2 MiB leaf for `va` under the PML4 at `root`, or 0.
  uint64_t Leaf(uint64_t root, uint64_t va, uint64_t* path_bits) {
    uint64_t e = Table(root)[(va >> 39) & 511];
    *path_bits = e;
    if (!(e & kPresent)) return 0;
    e = Table(e)[(va >> 30) & 511];
    *path_bits &= e;
    if (!(e & kPresent)) return 0;
    return Table(e)[(va >> 21) & 511];
  }

  guest_memory mem_{};
};

TEST_F(LongModeTest, UpperHalfLayoutIsSupervisorOnly) {
  ASSERT_EQ(long_mode_build_page_tables(&mem_, LONG_MODE_LAYOUT_UPPER), 0);
  uint64_t bits = 0;
  uint64_t kernel = Leaf(MINIVM_PAGE_TABLES_GPA, MINIVM_KERNEL_VIRT_BASE + 0x200000, &bits);
  EXPECT_EQ(kernel & kAddr, 0x200000u);
  EXPECT_EQ(kernel & (kPresent | kWritable | kLarge | kGlobal | kUser | kNx),
            kPresent | kWritable | kLarge | kGlobal);
  EXPECT_EQ(bits & kUser, 0u);
  uint64_t physmap = Leaf(MINIVM_PAGE_TABLES_GPA, MINIVM_PHYSMAP_BASE + 0x400000, &bits);
  EXPECT_EQ(physmap & kAddr, 0x400000u);
  EXPECT_TRUE(physmap & kNx);
  EXPECT_EQ(physmap & kUser, 0u);
  // Nothing in the lower half.
  for (int i = 0; i < 256; i++) EXPECT_EQ(Table(MINIVM_PAGE_TABLES_GPA)[i], 0u) << i;
}

TEST_F(LongModeTest, PvmLayoutIsLowerHalfWithUBitsAndAPgdPair) {
  ASSERT_EQ(long_mode_build_page_tables(&mem_, LONG_MODE_LAYOUT_PVM), 0);
  EXPECT_EQ(MINIVM_PAGE_TABLES_GPA % 0x2000, 0u);
  uint64_t bits = 0;
  uint64_t kernel = Leaf(MINIVM_PAGE_TABLES_GPA, MINIVM_PVM_KERNEL_VIRT_BASE + 0x200000, &bits);
  EXPECT_EQ(kernel & kAddr, 0x200000u);
  EXPECT_EQ(kernel & (kPresent | kWritable | kLarge | kGlobal | kUser | kNx),
            kPresent | kWritable | kLarge | kUser);
  EXPECT_EQ(bits & kUser, kUser);
  uint64_t physmap = Leaf(MINIVM_PAGE_TABLES_GPA, MINIVM_PVM_PHYSMAP_BASE + 0x400000, &bits);
  EXPECT_EQ(physmap & kAddr, 0x400000u);
  EXPECT_EQ(physmap & (kUser | kNx | kGlobal), kUser | kNx);
  const uint64_t* pml4 = Table(MINIVM_PAGE_TABLES_GPA);
  const uint64_t* user_pgd = Table(MINIVM_PVM_USER_PGD_GPA);
  for (int i = 0; i < 512; i++) {
    // The user PGD is empty; the kernel PGD has only the two PVM slots.
    EXPECT_EQ(user_pgd[i], 0u) << i;
    if (i != 254 && i != 255) {
      EXPECT_EQ(pml4[i], 0u) << i;
    }
  }
  EXPECT_EQ((MINIVM_PVM_KERNEL_VIRT_BASE >> 39) & 511, 254u);
  EXPECT_EQ((MINIVM_PVM_PHYSMAP_BASE >> 39) & 511, 255u);
  EXPECT_EQ(MINIVM_PVM_USER_END, MINIVM_PVM_KERNEL_VIRT_BASE);
}

}  // namespace

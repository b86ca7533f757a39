// The two boot page-table layouts of minivm/boot_info.h, read back from guest
// memory: the upper-half one every KVM gets, and PVM's lower-half one (U-bit
// kernel pages, an 8 KiB-aligned PGD pair with an empty user PGD, no global
// pages); in both the kernel's segments are mapped page by page with their
// ELF permissions and nothing else is in the kernel window.
#include <elf.h>

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
  // The leaf for `va` under the PML4 at `root` (a 2 MiB page or a 4 KiB
  // one), or 0; *path_bits gets the AND of the tables' entries above it.
  uint64_t Leaf(uint64_t root, uint64_t va, uint64_t* path_bits) {
    uint64_t e = Table(root)[(va >> 39) & 511];
    *path_bits = e;
    for (int shift = 30; shift >= 12; shift -= 9) {
      if (!(e & kPresent)) return 0;
      if (shift < 30) *path_bits &= e;
      e = Table(e)[(va >> shift) & 511];
      if (shift == 21 && (e & kLarge)) return e;
    }
    return e;
  }

  // A kernel like ours: text, rodata, then data and bss, page-aligned.
  static kernel_image Kernel(uint64_t base) {
    kernel_image k{};
    k.virt_base = base;
    k.entry = base + 0x100000;
    k.phys_end = 0x106800;
    k.segment_count = 3;
    k.segments[0] = {0x100000, 0x3000, PF_X};
    k.segments[1] = {0x103000, 0x1000, 0};
    k.segments[2] = {0x104000, 0x2800, PF_W};
    return k;
  }

  guest_memory mem_{};
};

constexpr uint64_t kPerms = kPresent | kWritable | kLarge | kGlobal | kUser | kNx;

TEST_F(LongModeTest, KernelSegmentsGetTheirElfPermissionsAndNothingElse) {
  kernel_image k = Kernel(MINIVM_KERNEL_VIRT_BASE);
  ASSERT_EQ(long_mode_build_page_tables(&mem_, LONG_MODE_LAYOUT_UPPER, &k), 0);
  uint64_t bits = 0;
  const uint64_t root = MINIVM_PAGE_TABLES_GPA, base = MINIVM_KERNEL_VIRT_BASE;
  struct {
    uint64_t pa, perms;
  } const expect[] = {
      {0x100000, kPresent | kGlobal},                  // text: read + execute
      {0x102000, kPresent | kGlobal},                  // its last page
      {0x103000, kPresent | kGlobal | kNx},            // rodata
      {0x104000, kPresent | kWritable | kGlobal | kNx},  // data
      {0x106000, kPresent | kWritable | kGlobal | kNx},  // the bss's partial page
  };
  for (const auto& e : expect) {
    uint64_t leaf = Leaf(root, base + e.pa, &bits);
    EXPECT_EQ(leaf & kAddr, e.pa);
    EXPECT_EQ(leaf & kPerms, e.perms) << std::hex << e.pa;
    EXPECT_EQ(bits & (kPresent | kWritable | kUser), kPresent | kWritable);
  }
  // Below, between and above the image, and the rest of the GiB: unmapped.
  for (uint64_t pa : {0x0ull, 0xff000ull, 0x107000ull, 0x200000ull, 0x3ff00000ull})
    EXPECT_EQ(Leaf(root, base + pa, &bits), 0u) << std::hex << pa;
}

TEST_F(LongModeTest, APageTwoSegmentsShareGetsBothPermissions) {
  kernel_image k = Kernel(MINIVM_KERNEL_VIRT_BASE);
  k.segments[1] = {0x103000, 0x800, 0};
  k.segments[2] = {0x103800, 0x800, PF_W};
  ASSERT_EQ(long_mode_build_page_tables(&mem_, LONG_MODE_LAYOUT_UPPER, &k), 0);
  uint64_t bits = 0;
  uint64_t leaf = Leaf(MINIVM_PAGE_TABLES_GPA, MINIVM_KERNEL_VIRT_BASE + 0x103000, &bits);
  EXPECT_EQ(leaf & kPerms, kPresent | kWritable | kGlobal | kNx);
}

TEST_F(LongModeTest, SegmentsAcrossTwoMegabyteRegionsGetATableEach) {
  kernel_image k = Kernel(MINIVM_KERNEL_VIRT_BASE);
  k.segments[2] = {0x104000, 0x400000, PF_W};  // up to 0x504000: three regions in all
  ASSERT_EQ(long_mode_build_page_tables(&mem_, LONG_MODE_LAYOUT_UPPER, &k), 0);
  uint64_t bits = 0;
  for (uint64_t pa : {0x1ff000ull, 0x200000ull, 0x3ff000ull, 0x400000ull, 0x503000ull})
    EXPECT_EQ(Leaf(MINIVM_PAGE_TABLES_GPA, MINIVM_KERNEL_VIRT_BASE + pa, &bits) & kAddr, pa)
        << std::hex << pa;
  EXPECT_EQ(Leaf(MINIVM_PAGE_TABLES_GPA, MINIVM_KERNEL_VIRT_BASE + 0x504000, &bits), 0u);
}

TEST_F(LongModeTest, ASegmentOutsideTheFirstGibIsRefused) {
  kernel_image k = Kernel(MINIVM_KERNEL_VIRT_BASE);
  k.segments[2] = {0x3ffff000, 0x2000, PF_W};
  EXPECT_EQ(long_mode_build_page_tables(&mem_, LONG_MODE_LAYOUT_UPPER, &k), -1);
}

TEST_F(LongModeTest, UpperHalfLayoutIsSupervisorOnly) {
  kernel_image k = Kernel(MINIVM_KERNEL_VIRT_BASE);
  ASSERT_EQ(long_mode_build_page_tables(&mem_, LONG_MODE_LAYOUT_UPPER, &k), 0);
  uint64_t bits = 0;
  uint64_t kernel = Leaf(MINIVM_PAGE_TABLES_GPA, MINIVM_KERNEL_VIRT_BASE + 0x104000, &bits);
  EXPECT_EQ(kernel & kAddr, 0x104000u);
  EXPECT_EQ(kernel & kPerms, kPresent | kWritable | kGlobal | kNx);
  EXPECT_EQ(bits & kUser, 0u);
  uint64_t physmap = Leaf(MINIVM_PAGE_TABLES_GPA, MINIVM_PHYSMAP_BASE + 0x400000, &bits);
  EXPECT_EQ(physmap & kAddr, 0x400000u);
  EXPECT_TRUE(physmap & kNx);
  EXPECT_EQ(physmap & kUser, 0u);
  // Nothing in the lower half.
  for (int i = 0; i < 256; i++) EXPECT_EQ(Table(MINIVM_PAGE_TABLES_GPA)[i], 0u) << i;
}

TEST_F(LongModeTest, PvmLayoutIsLowerHalfWithUBitsAndAPgdPair) {
  kernel_image k = Kernel(MINIVM_PVM_KERNEL_VIRT_BASE);
  ASSERT_EQ(long_mode_build_page_tables(&mem_, LONG_MODE_LAYOUT_PVM, &k), 0);
  EXPECT_EQ(MINIVM_PAGE_TABLES_GPA % 0x2000, 0u);
  uint64_t bits = 0;
  uint64_t kernel = Leaf(MINIVM_PAGE_TABLES_GPA, MINIVM_PVM_KERNEL_VIRT_BASE + 0x100000, &bits);
  EXPECT_EQ(kernel & kAddr, 0x100000u);
  EXPECT_EQ(kernel & kPerms, kPresent | kUser);
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

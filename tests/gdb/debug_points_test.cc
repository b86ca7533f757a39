// Debug-register bookkeeping (core/gdb/debug_points.h), the guest page walk
// (guest_page_walk.h) and gdb's signal numbers (gdb_signals.h).
#include <gtest/gtest.h>

#include <cstring>

extern "C" {
#include "core/gdb/debug_points.h"
#include "core/gdb/gdb_signals.h"
#include "core/gdb/guest_page_walk.h"
#include "core/guest_memory.h"
}

namespace {

TEST(DebugPoints, EncodesDr7PerSlot) {
  debug_points dp{};
  ASSERT_EQ(debug_points_add_gdb(&dp, DEBUG_SLOT_EXECUTE, 1, 0x401000, 1), 0);
  ASSERT_EQ(debug_points_add_gdb(&dp, DEBUG_SLOT_WRITE, 2, 0x4ab228, 4), 0);
  // Slot 0: L0, execute, len 00. Slot 1: L1, write (01), len 4 (11).
  EXPECT_EQ(debug_points_dr7(&dp), 0x1ull | 0x4ull | (0x1ull | 0x3ull << 2) << 20);
  EXPECT_EQ(dp.slot[1].addr, 0x4ab228u);
}

TEST(DebugPoints, SplitsAnUnalignedWatchIntoAlignedPieces) {
  debug_points dp{};
  // [0x1003, 0x100b): one byte at 3, four at 4, two at 8, one at 0xa.
  ASSERT_EQ(debug_points_add_gdb(&dp, DEBUG_SLOT_WRITE, 2, 0x1003, 8), 0);
  EXPECT_EQ(dp.slot[0].addr, 0x1003u);
  EXPECT_EQ(dp.slot[0].len, 1);
  EXPECT_EQ(dp.slot[1].addr, 0x1004u);
  EXPECT_EQ(dp.slot[1].len, 4);
  EXPECT_EQ(dp.slot[2].addr, 0x1008u);
  EXPECT_EQ(dp.slot[2].len, 2);
  EXPECT_EQ(dp.slot[3].addr, 0x100au);
  EXPECT_EQ(dp.slot[3].len, 1);
  // No room for more, and nothing changes on refusal.
  EXPECT_EQ(debug_points_add_gdb(&dp, DEBUG_SLOT_EXECUTE, 1, 0x2000, 1), -1);
  EXPECT_EQ(debug_points_remove_gdb(&dp, DEBUG_SLOT_WRITE, 0x1003, 8), 0);
  EXPECT_FALSE(debug_points_any_slot(&dp));
  EXPECT_EQ(debug_points_remove_gdb(&dp, DEBUG_SLOT_WRITE, 0x1003, 8), -1);
}

TEST(DebugPoints, RefusesWhatCannotBeWatched) {
  debug_points dp{};
  EXPECT_EQ(debug_points_add_gdb(&dp, DEBUG_SLOT_WRITE, 2, 0x1000, 0), -1);
  EXPECT_EQ(debug_points_add_gdb(&dp, DEBUG_SLOT_WRITE, 2, 0x1000, 33), -1);
  EXPECT_EQ(debug_points_add_gdb(&dp, DEBUG_SLOT_WRITE, 2, ~0ull, 2), -1);
  // 32 bytes need four 8-byte slots: exactly enough.
  EXPECT_EQ(debug_points_add_gdb(&dp, DEBUG_SLOT_ACCESS, 4, 0x2000, 32), 0);
  EXPECT_EQ(debug_points_add_stub(&dp, 0x3000), -1);
  debug_points_clear_gdb(&dp);
  EXPECT_EQ(debug_points_add_stub(&dp, 0x3000), 0);
}

TEST(DebugPoints, KeepsSoftwareBreakpoints) {
  debug_points dp{};
  EXPECT_EQ(debug_points_find_sw(&dp, 0x401000), nullptr);
  sw_breakpoint *bp = debug_points_free_sw(&dp);
  ASSERT_NE(bp, nullptr);
  bp->used = true;
  bp->addr = 0x401000;
  EXPECT_EQ(debug_points_find_sw(&dp, 0x401000), bp);
  EXPECT_EQ(debug_points_sw_count(&dp), 1u);
  for (unsigned i = 1; i < DEBUG_SW_BREAKPOINTS_MAX; i++) debug_points_free_sw(&dp)->used = true;
  EXPECT_EQ(debug_points_free_sw(&dp), nullptr);
}

TEST(GdbSignals, NumbersAsGdbDoes) {
  EXPECT_EQ(gdb_signal_from_linux(11), 11);  // SEGV
  EXPECT_EQ(gdb_signal_from_linux(7), 10);   // BUS
  EXPECT_EQ(gdb_signal_from_linux(10), 30);  // USR1
  EXPECT_EQ(gdb_signal_from_linux(17), 20);  // CHLD
  EXPECT_EQ(gdb_signal_from_linux(34), 46);  // SIGRTMIN+0 of glibc
  EXPECT_EQ(gdb_signal_from_linux(0), 143);
  EXPECT_EQ(gdb_signal_from_linux(65), 143);
}

// A guest with hand-built 4-level tables.
class PageWalkTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kP = 1, kW = 2, kU = 4, kPS = 0x80;
  void SetUp() override { ASSERT_EQ(guest_memory_init(&mem_, 16ull << 20), 0); }
  void TearDown() override { guest_memory_destroy(&mem_); }
  void Set(uint64_t table, unsigned index, uint64_t entry) {
    memcpy(static_cast<uint8_t *>(guest_memory_ptr(&mem_, table, 4096)) + index * 8, &entry, 8);
  }
  guest_address_space Space() { return {&mem_, 0x10000, 0x800000000000ull, false}; }
  guest_memory mem_;
};

TEST_F(PageWalkTest, WalksFourKilobyteAndTwoMegabytePages) {
  // va 0x401000 -> pa 0x300000 (4 KiB, read-only); va 0x600000 -> 2 MiB page at 0x800000.
  Set(0x10000, 0, 0x11000 | kP | kW | kU);
  Set(0x11000, 0, 0x12000 | kP | kW | kU);
  Set(0x12000, 2, 0x13000 | kP | kW | kU);
  Set(0x13000, 1, 0x300000 | kP | kU);
  Set(0x12000, 3, 0x800000 | kP | kW | kU | kPS);
  guest_address_space as = Space();
  guest_page page;
  ASSERT_EQ(guest_page_walk(&as, 0x401234, &page), 0);
  EXPECT_EQ(page.gpa, 0x300234u);
  EXPECT_EQ(page.span, 0x1000u - 0x234);
  EXPECT_FALSE(page.writable);
  ASSERT_EQ(guest_page_walk(&as, 0x612345, &page), 0);
  EXPECT_EQ(page.gpa, 0x812345u);
  EXPECT_TRUE(page.writable);
  EXPECT_EQ(guest_page_walk(&as, 0x402000, &page), -1);  // not present
  EXPECT_EQ(guest_page_walk(&as, 0xffff800000000000ull, &page), -1);  // not user space

  // Reads cross into the next page only while it is mapped.
  static_cast<uint8_t *>(guest_memory_ptr(&mem_, 0x300ffe, 2))[0] = 0x5a;
  uint8_t buf[4] = {};
  EXPECT_EQ(guest_virt_read(&as, 0x401ffe, buf, 4), 2u);
  EXPECT_EQ(buf[0], 0x5a);
  // Writes stop at a read-only page; the stub's int3 does not.
  EXPECT_EQ(guest_virt_write(&as, 0x401000, buf, 1), 0u);
  EXPECT_EQ(guest_virt_write(&as, 0x600000, buf, 4), 4u);
  uint8_t old = 0;
  EXPECT_EQ(guest_page_patch_byte(&as, 0x401ffe, 0xcc, &old), 0);
  EXPECT_EQ(old, 0x5a);
}

TEST_F(PageWalkTest, RefusesSupervisorPagesAndTablesOutsideRam) {
  Set(0x10000, 0, 0x11000 | kP | kW);  // no U
  guest_address_space as = Space();
  guest_page page;
  EXPECT_EQ(guest_page_walk(&as, 0x1000, &page), -1);
  Set(0x10000, 0, 0x7fff000000ull | kP | kW | kU);  // a table beyond RAM
  EXPECT_EQ(guest_page_walk(&as, 0x1000, &page), -1);
  Set(0x10000, 1, 0x11000 | kP | kW | kU);
  Set(0x11000, 0, 0x40000000ull | kP | kW | kU | kPS);  // a 1 GiB page beyond RAM
  ASSERT_EQ(guest_page_walk(&as, 0x8000000000ull, &page), 0);
  uint8_t b;
  EXPECT_EQ(guest_virt_read(&as, 0x8000000000ull, &b, 1), 0u);
}

}  // namespace

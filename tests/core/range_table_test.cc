// The port and MMIO tables: non-overlapping ranges, lookups that must not
// straddle an entry's end, messages naming both owners.
#include <string.h>

#include <string>

#include "gtest/gtest.h"

extern "C" {
#include "core/range_table.h"
}

namespace {

range_entry Entry(uint64_t start, uint64_t size, const char* owner, const char* kind = "dev") {
  range_entry e;
  memset(&e, 0, sizeof e);
  e.start = start;
  e.size = size;
  e.owner = owner;
  strncpy(e.kind, kind, sizeof e.kind - 1);
  return e;
}

class RangeTableTest : public ::testing::Test {
 protected:
  void SetUp() override { range_table_init(&table_, "port"); }

  int Register(const range_entry& e) {
    testing::internal::CaptureStderr();
    int rc = range_table_register(&table_, &e);
    err_ = testing::internal::GetCapturedStderr();
    return rc;
  }

  range_table table_;
  std::string err_;
};

TEST_F(RangeTableTest, RegisterAndLookup) {
  ASSERT_EQ(Register(Entry(0x3f8, 8, "console", "console")), 0) << err_;
  ASSERT_EQ(Register(Entry(0x100, 4, "platform", "platform")), 0) << err_;
  EXPECT_EQ(err_, "");
  EXPECT_EQ(table_.count, 2u);
  const range_entry* e = range_table_lookup(&table_, 0x3f8, 1);
  ASSERT_NE(e, nullptr);
  EXPECT_STREQ(e->owner, "console");
  EXPECT_STREQ(e->kind, "console");
  e = range_table_lookup(&table_, 0x3ff, 1);
  ASSERT_NE(e, nullptr);
  EXPECT_STREQ(e->owner, "console");
  e = range_table_lookup(&table_, 0x100, 4);
  ASSERT_NE(e, nullptr);
  EXPECT_STREQ(e->owner, "platform");
}

TEST_F(RangeTableTest, KeptSortedWhateverTheOrderOfRegistration) {
  const uint64_t starts[] = {0x500, 0x100, 0x900, 0x300, 0x700};
  for (uint64_t s : starts) ASSERT_EQ(Register(Entry(s, 0x10, "p")), 0) << err_;
  for (size_t i = 1; i < table_.count; i++)
    EXPECT_LT(table_.entries[i - 1].start, table_.entries[i].start);
  for (uint64_t s : starts) {
    const range_entry* e = range_table_lookup(&table_, s + 0xf, 1);
    ASSERT_NE(e, nullptr) << std::hex << s;
    EXPECT_EQ(e->start, s);
  }
}

TEST_F(RangeTableTest, AdjacentRangesAreAccepted) {
  ASSERT_EQ(Register(Entry(0x10, 0x10, "a")), 0) << err_;
  ASSERT_EQ(Register(Entry(0x20, 0x10, "b")), 0) << err_;
  ASSERT_EQ(Register(Entry(0x0, 0x10, "c")), 0) << err_;
  EXPECT_STREQ(range_table_lookup(&table_, 0x1f, 1)->owner, "a");
  EXPECT_STREQ(range_table_lookup(&table_, 0x20, 1)->owner, "b");
  EXPECT_STREQ(range_table_lookup(&table_, 0x0f, 1)->owner, "c");
}

TEST_F(RangeTableTest, OverlapIsRefusedNamingBothOwners) {
  ASSERT_EQ(Register(Entry(0x100, 0x10, "first")), 0);
  struct {
    uint64_t start, size;
  } overlapping[] = {{0x100, 0x10}, {0x0f8, 0x9}, {0x10f, 1}, {0x104, 2}, {0x0, 0x1000}};
  for (const auto& o : overlapping) {
    EXPECT_EQ(Register(Entry(o.start, o.size, "second")), -1) << std::hex << o.start;
    EXPECT_PRED_FORMAT2(testing::IsSubstring, "plugin second", err_);
    EXPECT_PRED_FORMAT2(testing::IsSubstring, "of plugin first", err_);
    EXPECT_PRED_FORMAT2(testing::IsSubstring, "0x100-0x10f", err_);
  }
  EXPECT_EQ(table_.count, 1u);
}

TEST_F(RangeTableTest, EmptyAndWrappingRangesAreRefused) {
  EXPECT_EQ(Register(Entry(0x100, 0, "p")), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "empty or wraps", err_);
  EXPECT_EQ(Register(Entry(UINT64_MAX - 3, 5, "p")), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "empty or wraps", err_);
  EXPECT_EQ(Register(Entry(2, UINT64_MAX, "p")), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "empty or wraps", err_);
  // The very last byte of the address space is a valid range.
  EXPECT_EQ(Register(Entry(UINT64_MAX - 3, 4, "p")), 0) << err_;
  EXPECT_NE(range_table_lookup(&table_, UINT64_MAX, 1), nullptr);
  EXPECT_EQ(range_table_lookup(&table_, UINT64_MAX, 2), nullptr);
  EXPECT_EQ(table_.count, 1u);
}

TEST_F(RangeTableTest, KindMustBeNonEmpty) {
  EXPECT_EQ(Register(Entry(0x100, 1, "p", "")), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "device kind", err_);
  range_entry e = Entry(0x100, 1, "p");
  memset(e.kind, 'k', sizeof e.kind);  // not terminated
  EXPECT_EQ(Register(e), -1);
  EXPECT_EQ(table_.count, 0u);
}

TEST_F(RangeTableTest, LookupMisses) {
  EXPECT_EQ(range_table_lookup(&table_, 0, 1), nullptr);  // empty table
  ASSERT_EQ(Register(Entry(0x100, 0x10, "a")), 0);
  ASSERT_EQ(Register(Entry(0x200, 0x10, "b")), 0);
  for (uint64_t addr : {UINT64_C(0), UINT64_C(0xff), UINT64_C(0x110), UINT64_C(0x1ff), UINT64_C(0x210), UINT64_MAX})
    EXPECT_EQ(range_table_lookup(&table_, addr, 1), nullptr) << std::hex << addr;
}

TEST_F(RangeTableTest, AccessStraddlingAnEntryEndIsRefused) {
  ASSERT_EQ(Register(Entry(0x100, 0x10, "a")), 0);
  ASSERT_EQ(Register(Entry(0x110, 0x10, "b")), 0);  // adjacent: still two devices
  EXPECT_NE(range_table_lookup(&table_, 0x10c, 4), nullptr);
  EXPECT_EQ(range_table_lookup(&table_, 0x10d, 4), nullptr);
  EXPECT_EQ(range_table_lookup(&table_, 0x10f, 2), nullptr);
  EXPECT_EQ(range_table_lookup(&table_, 0x100, 0x11), nullptr);
  EXPECT_EQ(range_table_lookup(&table_, 0x100, UINT64_MAX), nullptr);
  EXPECT_EQ(range_table_lookup(&table_, 0xfe, 4), nullptr);  // starts before the entry
}

TEST_F(RangeTableTest, TableFull) {
  for (uint64_t i = 0; i < RANGE_TABLE_MAX; i++)
    ASSERT_EQ(Register(Entry(i * 2, 1, "p")), 0) << i << ": " << err_;
  EXPECT_EQ(Register(Entry(0x1000, 1, "late")), -1);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "too many port ranges", err_);
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "plugin late", err_);
  EXPECT_EQ(table_.count, (size_t)RANGE_TABLE_MAX);
  for (uint64_t i = 0; i < RANGE_TABLE_MAX; i++)
    EXPECT_NE(range_table_lookup(&table_, i * 2, 1), nullptr) << i;
}

TEST(RangeTableNameTest, MessagesNameTheTable) {
  range_table mmio;
  range_table_init(&mmio, "MMIO");
  range_entry a = Entry(0xc0000000, 0x1000, "rng");
  ASSERT_EQ(range_table_register(&mmio, &a), 0);
  testing::internal::CaptureStderr();
  EXPECT_EQ(range_table_register(&mmio, &a), -1);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_PRED_FORMAT2(testing::IsSubstring, "MMIO range 0xc0000000-0xc0000fff", err);
}

}  // namespace

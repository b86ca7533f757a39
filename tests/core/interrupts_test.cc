// The pending-interrupt set and the injection decision the run loop makes
// before each KVM_RUN (core/interrupts.c); the KVM_INTERRUPT itself needs a
// vCPU and is covered by running guests.
#include <linux/kvm.h>
#include <string.h>

#include "gtest/gtest.h"

extern "C" {
#include "core/interrupts.h"
}

namespace {

class InterruptsTest : public ::testing::Test {
 protected:
  pending_interrupts p_ = {};
};

TEST_F(InterruptsTest, EmptySetHasNoHighest) { EXPECT_EQ(interrupts_highest(&p_), -1); }

TEST_F(InterruptsTest, RaiseAcceptsOnly32To255) {
  EXPECT_EQ(interrupts_raise(&p_, 0), -1);
  EXPECT_EQ(interrupts_raise(&p_, 31), -1);
  EXPECT_EQ(interrupts_raise(&p_, 256), -1);
  EXPECT_EQ(interrupts_raise(&p_, 0xffffffffu), -1);
  EXPECT_EQ(interrupts_highest(&p_), -1);
  EXPECT_EQ(interrupts_raise(&p_, 32), 0);
  EXPECT_EQ(interrupts_highest(&p_), 32);
  EXPECT_EQ(interrupts_raise(&p_, 255), 0);
  EXPECT_EQ(interrupts_highest(&p_), 255);
}

TEST_F(InterruptsTest, HighestAcrossWordsThenClearDownwards) {
  for (uint32_t v : {32u, 63u, 64u, 127u, 128u, 200u, 255u}) ASSERT_EQ(interrupts_raise(&p_, v), 0);
  for (int expected : {255, 200, 128, 127, 64, 63, 32}) {
    ASSERT_EQ(interrupts_highest(&p_), expected);
    interrupts_clear(&p_, static_cast<uint32_t>(expected));
  }
  EXPECT_EQ(interrupts_highest(&p_), -1);
}

TEST_F(InterruptsTest, RaisingTwiceIsOnePending) {
  ASSERT_EQ(interrupts_raise(&p_, 0x40), 0);
  ASSERT_EQ(interrupts_raise(&p_, 0x40), 0);
  interrupts_clear(&p_, 0x40);
  EXPECT_EQ(interrupts_highest(&p_), -1);
}

TEST_F(InterruptsTest, ClearOutOfRangeIsHarmless) {
  ASSERT_EQ(interrupts_raise(&p_, 100), 0);
  interrupts_clear(&p_, 256);
  interrupts_clear(&p_, 0xffffffffu);
  interrupts_clear(&p_, 99);
  EXPECT_EQ(interrupts_highest(&p_), 100);
}

TEST_F(InterruptsTest, DecideWithNothingPending) {
  bool window = true;
  EXPECT_EQ(interrupts_decide(&p_, true, true, &window), -1);
  EXPECT_FALSE(window);
}

TEST_F(InterruptsTest, DecideInjectsHighestWhenGuestCanTakeIt) {
  ASSERT_EQ(interrupts_raise(&p_, 0x30), 0);
  ASSERT_EQ(interrupts_raise(&p_, 0x50), 0);
  bool window = false;
  EXPECT_EQ(interrupts_decide(&p_, true, true, &window), 0x50);
  EXPECT_TRUE(window);  // 0x30 is still pending
  EXPECT_EQ(interrupts_decide(&p_, true, true, &window), 0x30);
  EXPECT_FALSE(window);
  EXPECT_EQ(interrupts_highest(&p_), -1);
}

TEST_F(InterruptsTest, DecideWaitsForTheWindow) {
  ASSERT_EQ(interrupts_raise(&p_, 0x40), 0);
  bool window = false;
  // Interrupts disabled (kernel mode), or KVM not ready (one still queued).
  EXPECT_EQ(interrupts_decide(&p_, true, false, &window), -1);
  EXPECT_TRUE(window);
  window = false;
  EXPECT_EQ(interrupts_decide(&p_, false, true, &window), -1);
  EXPECT_TRUE(window);
  EXPECT_EQ(interrupts_highest(&p_), 0x40);  // kept until it can go in
  EXPECT_EQ(interrupts_decide(&p_, true, true, &window), 0x40);
  EXPECT_FALSE(window);
}

// The run-structure side without a vCPU: nothing to inject means no ioctl
// (fd -1 would fail it), and the window request follows the set.
TEST_F(InterruptsTest, BeforeRunOnlyTouchesTheWindowWhenNotReady) {
  kvm_run run;
  memset(&run, 0, sizeof run);
  run.request_interrupt_window = 1;
  EXPECT_EQ(interrupts_before_run(&p_, -1, &run), 0);
  EXPECT_EQ(run.request_interrupt_window, 0);

  ASSERT_EQ(interrupts_raise(&p_, 0x40), 0);
  run.ready_for_interrupt_injection = 1;
  run.if_flag = 0;
  EXPECT_EQ(interrupts_before_run(&p_, -1, &run), 0);
  EXPECT_EQ(run.request_interrupt_window, 1);
  EXPECT_EQ(interrupts_highest(&p_), 0x40);
}

TEST_F(InterruptsTest, BeforeRunReportsAFailedInjection) {
  ASSERT_EQ(interrupts_raise(&p_, 0x40), 0);
  kvm_run run;
  memset(&run, 0, sizeof run);
  run.ready_for_interrupt_injection = 1;
  run.if_flag = 1;
  EXPECT_EQ(interrupts_before_run(&p_, -1, &run), -1);  // KVM_INTERRUPT on fd -1: EBADF
  EXPECT_EQ(run.request_interrupt_window, 0);
}

}  // namespace

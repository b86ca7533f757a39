// The timer plugin from its .so: TIMER_OP_SETUP's checks and result, and the
// tick that raises the guest's vector while the guest's word is nonzero.
#include "timer/timer_abi.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <vector>

#include "tests/plugins/fake_host.h"

namespace {

constexpr uint16_t kPort = 0x503;
constexpr uint32_t kBlock = 0x1000;
constexpr uint32_t kWord = 0x2000;
constexpr uint64_t kRam = 32ull << 20;  // FakeHost's default

class TimerTest : public ::testing::Test {
 protected:
  void Load() { ASSERT_EQ(host_.Load("plugins/timer/timer.so"), 0) << host_.load_error(); }

  int64_t Call(timer_args a) {
    EXPECT_EQ(host_.Hypercall(kPort, kBlock, &a), 0);
    return a.hdr.result;
  }
  int64_t Setup(uint64_t request_gpa, uint32_t vector, uint32_t pad = 0) {
    timer_args a{};
    a.hdr.op = TIMER_OP_SETUP;
    a.request_gpa = request_gpa;
    a.vector = vector;
    a.pad = pad;
    return Call(a);
  }
  void SetWord(uint64_t gpa, uint32_t v) { host_.Poke(gpa, &v, sizeof v); }
  std::vector<uint32_t> TickAndTake() {
    host_.ClearInterrupts();
    host_.Tick();
    return host_.interrupts();
  }

  FakeHost host_{kRam};
};

using Vectors = std::vector<uint32_t>;

TEST_F(TimerTest, RegistersItsPortAndATick) {
  Load();
  ASSERT_NE(host_.FindKind(TIMER_KIND), nullptr);
  EXPECT_EQ(host_.FindKind(TIMER_KIND)->base, kPort);
  EXPECT_EQ(host_.FindKind(TIMER_KIND)->count, 1);
  EXPECT_EQ(host_.tick_count(), 1u);
  EXPECT_TRUE(host_.seccomp_grants().empty());
}

TEST_F(TimerTest, PortIsConfigurable) {
  host_.SetConfig("port", "0x610");
  Load();
  ASSERT_NE(host_.FindKind(TIMER_KIND), nullptr);
  EXPECT_EQ(host_.FindKind(TIMER_KIND)->base, 0x610);
}

TEST_F(TimerTest, GoodSetupReturnsTheTickPeriodInMicroseconds) {
  Load();
  EXPECT_EQ(Setup(kWord, 0x20), MINIVM_TICK_MS * 1000);
  EXPECT_EQ(Setup(kWord, 255), MINIVM_TICK_MS * 1000);
  // The last 4 bytes of RAM are fine.
  EXPECT_EQ(Setup(kRam - 4, 0x40), MINIVM_TICK_MS * 1000);
}

TEST_F(TimerTest, BadFieldsAreEinval) {
  Load();
  EXPECT_EQ(Setup(kWord + 1, 0x40), -EINVAL);  // misaligned
  EXPECT_EQ(Setup(kWord + 2, 0x40), -EINVAL);
  EXPECT_EQ(Setup(kRam, 0x40), -EINVAL);       // just past RAM
  EXPECT_EQ(Setup(kRam - 2, 0x40), -EINVAL);   // straddles the end (and misaligned)
  EXPECT_EQ(Setup(1ull << 40, 0x40), -EINVAL);
  EXPECT_EQ(Setup(UINT64_MAX - 3, 0x40), -EINVAL);  // wraps around
  EXPECT_EQ(Setup(kWord, 31), -EINVAL);
  EXPECT_EQ(Setup(kWord, 0), -EINVAL);
  EXPECT_EQ(Setup(kWord, 256), -EINVAL);
  EXPECT_EQ(Setup(kWord, UINT32_MAX), -EINVAL);
  EXPECT_EQ(Setup(kWord, 0x40, 1), -EINVAL);   // nonzero pad
  EXPECT_FALSE(host_.exit_request());
  // None of them set the device up.
  SetWord(kWord, 1);
  EXPECT_EQ(TickAndTake(), Vectors{});
}

TEST_F(TimerTest, UnknownOpIsEinval) {
  Load();
  for (uint32_t op : {0u, 2u, 0xffffffffu}) {
    timer_args a{};
    a.hdr.op = op;
    a.request_gpa = kWord;
    a.vector = 0x40;
    EXPECT_EQ(Call(a), -EINVAL) << op;
  }
  SetWord(kWord, 1);
  EXPECT_EQ(TickAndTake(), Vectors{});
}

TEST_F(TimerTest, NoTicksBeforeSetup) {
  Load();
  EXPECT_EQ(TickAndTake(), Vectors{});
}

TEST_F(TimerTest, TickRaisesTheVectorOnlyWhileTheWordIsNonzero) {
  Load();
  SetWord(kWord, 0);
  ASSERT_EQ(Setup(kWord, 0x40), MINIVM_TICK_MS * 1000);
  EXPECT_EQ(TickAndTake(), Vectors{});
  SetWord(kWord, 1);  // no hypercall: the tick reads the word afresh
  EXPECT_EQ(TickAndTake(), Vectors{0x40});
  EXPECT_EQ(TickAndTake(), Vectors{0x40});
  SetWord(kWord, 0xffffffffu);
  EXPECT_EQ(TickAndTake(), Vectors{0x40});
  SetWord(kWord, 0);
  EXPECT_EQ(TickAndTake(), Vectors{});
}

TEST_F(TimerTest, SecondSetupReplacesTheFirst) {
  Load();
  constexpr uint32_t kOtherWord = 0x3000;
  ASSERT_EQ(Setup(kWord, 0x40), MINIVM_TICK_MS * 1000);
  ASSERT_EQ(Setup(kOtherWord, 0x81), MINIVM_TICK_MS * 1000);
  SetWord(kWord, 1);
  SetWord(kOtherWord, 0);
  EXPECT_EQ(TickAndTake(), Vectors{});  // the old word no longer counts
  SetWord(kOtherWord, 1);
  EXPECT_EQ(TickAndTake(), Vectors{0x81});
}

TEST_F(TimerTest, FailedSetupKeepsTheLastGoodOne) {
  Load();
  ASSERT_EQ(Setup(kWord, 0x40), MINIVM_TICK_MS * 1000);
  EXPECT_EQ(Setup(kWord + 1, 0x50), -EINVAL);
  EXPECT_EQ(Setup(kWord, 0x50, 7), -EINVAL);
  SetWord(kWord, 1);
  EXPECT_EQ(TickAndTake(), Vectors{0x40});
}

TEST_F(TimerTest, SetupReadsTheBlockOnceAndWritesOnlyTheResult) {
  Load();
  timer_args a{};
  a.hdr.op = TIMER_OP_SETUP;
  a.request_gpa = kWord;
  a.vector = 0x40;
  ASSERT_EQ(host_.Hypercall(kPort, kBlock, &a), 0);
  EXPECT_EQ(a.hdr.result, MINIVM_TICK_MS * 1000);
  EXPECT_EQ(a.hdr.op, TIMER_OP_SETUP);
  EXPECT_EQ(a.request_gpa, kWord);
  EXPECT_EQ(a.vector, 0x40u);
  EXPECT_EQ(a.pad, 0u);
}

TEST_F(TimerTest, OnlyA32BitOutIsAHypercall) {
  Load();
  uint32_t v = kBlock;
  EXPECT_NE(host_.Io(kPort, false, 4, &v), 0);
  EXPECT_NE(host_.Io(kPort, true, 1, &v), 0);
  EXPECT_NE(host_.Io(kPort, true, 2, &v), 0);
  EXPECT_NE(host_.Out32(kPort, static_cast<uint32_t>(kRam - 8)), 0);  // block not in RAM
}

TEST_F(TimerTest, UnknownKeysAreLeftForTheCore) {
  Load();
  // The plugin asks only for `port`; the core reports every other key.
  EXPECT_EQ(host_.keys_read(), std::vector<std::string>{"port"});
}

}  // namespace

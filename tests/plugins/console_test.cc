// The console plugin, loaded from its .so into a fake host: guest segments go
// to the host's fds 1/2 and come from fd 0, and every bad block is refused.
#include "console/console_abi.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

#include "tests/plugins/fake_host.h"
#include "tests/plugins/fd_redirect.h"

namespace {

constexpr uint16_t kPort = 0x501;
constexpr uint32_t kBlock = 0x1000;
constexpr uint64_t kData = 0x10000;

class ConsoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    signal(SIGPIPE, SIG_IGN);  // as the VMM must: EPIPE instead of death
    ASSERT_EQ(host_.Load("plugins/console/console.so"), 0) << host_.load_error();
  }

  // Issues `op` on `stream` with the given segments; returns hdr.result.
  int64_t Call(uint32_t op, uint32_t stream, std::initializer_list<minivm_sg> segs,
               console_args *out = nullptr) {
    console_args a{};
    a.hdr.op = op;
    a.stream = stream;
    a.nseg = static_cast<uint32_t>(segs.size());
    uint32_t i = 0;
    for (const minivm_sg &s : segs) a.seg[i++] = s;
    EXPECT_EQ(host_.Hypercall(kPort, kBlock, &a), 0);
    if (out != nullptr) *out = a;
    return a.hdr.result;
  }

  FakeHost host_;
};

TEST_F(ConsoleTest, RegistersOnePortAndItsSyscalls) {
  const FakeHost::Registration *r = host_.FindKind(CONSOLE_KIND);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->base, kPort);
  EXPECT_EQ(r->count, 1);
  // write only to fds 1 and 2, never a blanket write.
  int writes = 0;
  for (const FakeHost::SeccompGrant &g : host_.seccomp_grants()) {
    if (g.syscall_nr != SYS_write) continue;
    writes++;
    EXPECT_EQ(g.arg_index, 0);
    EXPECT_TRUE(g.value == 1 || g.value == 2) << g.value;
  }
  EXPECT_EQ(writes, 2);
}

TEST_F(ConsoleTest, WritesSegmentsInOrderToStdout) {
  host_.Poke(kData, "hello ");
  host_.Poke(kData + 0x100, "world\n");
  FdCapture out(1);
  int64_t r = Call(CONSOLE_OP_WRITE, 1, {{kData, 6}, {kData + 0x100, 6}});
  EXPECT_EQ(out.Finish(), "hello world\n");
  EXPECT_EQ(r, 12);
}

TEST_F(ConsoleTest, WritesToStderr) {
  host_.Poke(kData, "oops\n");
  FdCapture err(2);
  int64_t r = Call(CONSOLE_OP_WRITE, 2, {{kData, 5}});
  EXPECT_EQ(err.Finish(), "oops\n");
  EXPECT_EQ(r, 5);
}

TEST_F(ConsoleTest, LargeWriteThroughAPipeIsComplete) {
  // Far more than a pipe holds: the plugin must loop over partial writes.
  const size_t len = 4u << 20;
  for (size_t i = 0; i < len; i++) host_.Ram(kData)[i] = static_cast<uint8_t>('a' + i % 26);
  FdCapture out(1);
  int64_t r = Call(CONSOLE_OP_WRITE, 1, {{kData, len / 2}, {kData + len / 2, len / 2}});
  std::string got = out.Finish();
  EXPECT_EQ(r, static_cast<int64_t>(len));
  EXPECT_EQ(got, host_.Peek(kData, len));
}

TEST_F(ConsoleTest, WriteToPipeWithoutReaderIsEpipe) {
  host_.Poke(kData, "lost");
  FdPipe p(1, /*is_read_end=*/false);
  p.CloseOtherEnd();
  EXPECT_EQ(Call(CONSOLE_OP_WRITE, 1, {{kData, 4}}), -EPIPE);
}

TEST_F(ConsoleTest, ReadsStdinIntoSegmentsThenEof) {
  FdPipe in(0, /*is_read_end=*/true);
  ASSERT_EQ(write(in.other_end(), "abc", 3), 3);
  in.CloseOtherEnd();
  EXPECT_EQ(Call(CONSOLE_OP_READ, 0, {{kData, 2}, {kData + 0x100, 2}}), 3);
  EXPECT_EQ(host_.Peek(kData, 2), "ab");
  EXPECT_EQ(host_.Peek(kData + 0x100, 1), "c");
  EXPECT_EQ(Call(CONSOLE_OP_READ, 0, {{kData, 2}}), 0);
}

TEST_F(ConsoleTest, StreamsAreOnlyTheirHostFds) {
  EXPECT_EQ(Call(CONSOLE_OP_WRITE, 0, {{kData, 1}}), -EBADF);
  EXPECT_EQ(Call(CONSOLE_OP_WRITE, 3, {{kData, 1}}), -EBADF);
  EXPECT_EQ(Call(CONSOLE_OP_WRITE, 0xffffffffu, {{kData, 1}}), -EBADF);
  EXPECT_EQ(Call(CONSOLE_OP_READ, 1, {{kData, 1}}), -EBADF);
  EXPECT_EQ(Call(CONSOLE_OP_READ, 2, {{kData, 1}}), -EBADF);
  EXPECT_EQ(Call(CONSOLE_OP_INFO, 3, {}), -EBADF);
}

TEST_F(ConsoleTest, RefusesBadSegments) {
  const uint64_t ram = host_.ram_size();
  FdCapture out(1);  // nothing may reach stdout
  EXPECT_EQ(Call(CONSOLE_OP_WRITE, 1, {}), -EINVAL) << "nseg 0";
  console_args a{};
  a.hdr.op = CONSOLE_OP_WRITE;
  a.stream = 1;
  a.nseg = MINIVM_SG_MAX + 1;
  ASSERT_EQ(host_.Hypercall(kPort, kBlock, &a), 0);
  EXPECT_EQ(a.hdr.result, -EINVAL) << "nseg > MINIVM_SG_MAX";
  EXPECT_EQ(Call(CONSOLE_OP_WRITE, 1, {{ram, 1}}), -EFAULT) << "past the end of RAM";
  EXPECT_EQ(Call(CONSOLE_OP_WRITE, 1, {{ram - 4, 8}}), -EFAULT) << "straddles the end";
  EXPECT_EQ(Call(CONSOLE_OP_WRITE, 1, {{~0ull - 3, 16}}), -EFAULT) << "gpa + len wraps";
  EXPECT_EQ(Call(CONSOLE_OP_WRITE, 1, {{kData, 1}, {kData, ~0ull}}), -EINVAL)
      << "len beyond MINIVM_HC_MAX_TRANSFER";
  EXPECT_EQ(Call(CONSOLE_OP_WRITE, 1, {{0, MINIVM_HC_MAX_TRANSFER}, {kData, 1}}), -EINVAL)
      << "total beyond MINIVM_HC_MAX_TRANSFER";
  EXPECT_EQ(out.Finish(), "");
}

TEST_F(ConsoleTest, UnknownOpIsEinval) {
  EXPECT_EQ(Call(99, 1, {{kData, 1}}), -EINVAL);
  EXPECT_EQ(Call(0, 1, {{kData, 1}}), -EINVAL);
}

TEST_F(ConsoleTest, InfoOnAPipeIsNotATty) {
  FdPipe p(1, /*is_read_end=*/false);
  console_args a{};
  EXPECT_EQ(Call(CONSOLE_OP_INFO, 1, {}, &a), 0);
  EXPECT_EQ(a.info.is_tty, 0u);
}

TEST_F(ConsoleTest, InfoOnATerminalReportsSizeAndTermios) {
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0) GTEST_SKIP() << "no pseudo-terminals here";
  ASSERT_EQ(grantpt(master), 0);
  ASSERT_EQ(unlockpt(master), 0);
  int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
  ASSERT_GE(slave, 0);
  struct winsize ws {};
  ws.ws_row = 42;
  ws.ws_col = 133;
  ASSERT_EQ(ioctl(slave, TIOCSWINSZ, &ws), 0);
  struct termios want;
  std::memset(&want, 0, sizeof want);  // padding included: the plugin must send zeros there
  ASSERT_EQ(tcgetattr(slave, &want), 0);

  console_args a{};
  {
    FdSwap swap(0, slave);
    EXPECT_EQ(Call(CONSOLE_OP_INFO, 0, {}, &a), 0);
  }
  close(slave);
  close(master);
  EXPECT_EQ(a.info.is_tty, 1u);
  EXPECT_EQ(a.info.rows, 42);
  EXPECT_EQ(a.info.cols, 133);
  EXPECT_EQ(std::memcmp(a.info.termios, &want, sizeof a.info.termios), 0);
}

TEST_F(ConsoleTest, OnlyA32BitOutIsAHypercall) {
  uint32_t v = kBlock;
  EXPECT_NE(host_.Io(kPort, /*is_write=*/false, 4, &v), 0) << "IN";
  EXPECT_NE(host_.Io(kPort, true, 1, &v), 0) << "8-bit OUT";
  EXPECT_NE(host_.Io(kPort, true, 2, &v), 0) << "16-bit OUT";
}

TEST_F(ConsoleTest, BlockOutsideRamFailsClosed) {
  EXPECT_NE(host_.Out32(kPort, static_cast<uint32_t>(host_.ram_size() - 8)), 0);
  EXPECT_NE(host_.Out32(kPort, 0xfffffff0u), 0);
}

TEST(ConsoleConfigTest, PortKeyMovesTheDevice) {
  FakeHost host;
  host.SetConfig("port", "0x600");
  ASSERT_EQ(host.Load("plugins/console/console.so"), 0) << host.load_error();
  ASSERT_NE(host.FindKind(CONSOLE_KIND), nullptr);
  EXPECT_EQ(host.FindKind(CONSOLE_KIND)->base, 0x600);
}

TEST(ConsoleConfigTest, BadPortIsAConfigError) {
  for (const char *bad : {"abc", "0", "65536", "-1", "", " 5", "0x501x"}) {
    FakeHost host;
    host.SetConfig("port", bad);
    EXPECT_NE(host.Load("plugins/console/console.so"), 0) << bad;
    EXPECT_EQ(host.config_errors().size(), 1u) << bad;
    EXPECT_TRUE(host.registrations().empty()) << bad;
  }
}

}  // namespace

// ---- the output ring: small writes coalesced in guest memory ----------------

constexpr uint64_t kRing = 0x40000;

// The guest's side of the ring, written into the fake RAM as the guest kernel
// does: records appended at `head`, which the guest alone advances.
class ConsoleRingTest : public ConsoleTest {
 protected:
  void SetUp() override {
    ConsoleTest::SetUp();
    ASSERT_EQ(Call(CONSOLE_OP_RING, 1, {{kRing, sizeof(console_ring)}}), 0);
  }
  console_ring *Ring() { return reinterpret_cast<console_ring *>(host_.Ram(kRing)); }
  void PokeData(uint32_t offset, const void *src, size_t len) {
    const auto *p = static_cast<const uint8_t *>(src);
    for (size_t i = 0; i < len; i++) Ring()->data[(offset + i) % CONSOLE_RING_BYTES] = p[i];
  }
  void Append(uint8_t stream, const std::string &text) {
    console_record rec{static_cast<uint16_t>(text.size()), stream, 0};
    PokeData(head_, &rec, sizeof rec);
    PokeData(head_ + sizeof rec, text.data(), text.size());
    head_ += static_cast<uint32_t>(sizeof rec + text.size());
    Ring()->head = head_;
  }
  int Flush() {
    console_args a{};
    a.hdr.op = CONSOLE_OP_FLUSH;
    return host_.Hypercall(kPort, kBlock, &a);
  }
  uint32_t head_ = 0;
};

// A fresh console in `host` with its ring at kRing; nullptr if that failed.
console_ring *LoadWithRing(FakeHost &host) {
  if (host.Load("plugins/console/console.so") != 0) return nullptr;
  console_args a{};
  a.hdr.op = CONSOLE_OP_RING;
  a.nseg = 1;
  a.seg[0] = {kRing, sizeof(console_ring)};
  if (host.Hypercall(kPort, kBlock, &a) != 0 || a.hdr.result != 0) return nullptr;
  return reinterpret_cast<console_ring *>(host.Ram(kRing));
}

// stderr into the same pipe as stdout while it lives, to see the interleaving.
class StderrIntoStdout {
 public:
  StderrIntoStdout() : saved_(dup(2)) { dup2(1, 2); }
  ~StderrIntoStdout() {
    dup2(saved_, 2);
    close(saved_);
  }

 private:
  int saved_;
};

TEST_F(ConsoleRingTest, SetUpOnceWithTheStreamsThatMustBypassIt) {
  // Under the test runner stdout and stderr are files, not terminals.
  EXPECT_EQ(Ring()->direct[1], 0u);
  EXPECT_EQ(Ring()->direct[2], 0u);
  EXPECT_EQ(Call(CONSOLE_OP_RING, 1, {{kRing, sizeof(console_ring)}}), -EINVAL);
  EXPECT_EQ(host_.tick_count(), 1u);
}

TEST(ConsoleRingSetupTest, RefusesARingOutsideRamOrTooSmall) {
  FakeHost host;
  ASSERT_EQ(host.Load("plugins/console/console.so"), 0) << host.load_error();
  for (minivm_sg seg : {minivm_sg{host.ram_size() - 4096, sizeof(console_ring)},
                        minivm_sg{kRing, sizeof(console_ring) - 1}, minivm_sg{0, 0}}) {
    console_args a{};
    a.hdr.op = CONSOLE_OP_RING;
    a.nseg = 1;
    a.seg[0] = seg;
    ASSERT_EQ(host.Hypercall(kPort, kBlock, &a), 0);
    EXPECT_EQ(a.hdr.result, -EINVAL) << seg.gpa << " " << seg.len;
  }
}

TEST_F(ConsoleRingTest, RecordsGoOutInOrderAcrossStreamsBeforeTheNextCall) {
  FdCapture out(1);
  {
    StderrIntoStdout both;
    Append(1, "one ");
    Append(2, "two ");
    Append(1, "three ");
    host_.Poke(kData, "direct\n");
    // A direct write comes after what the ring holds.
    EXPECT_EQ(Call(CONSOLE_OP_WRITE, 2, {{kData, 7}}), 7);
  }
  EXPECT_EQ(out.Finish(), "one two three direct\n");
  EXPECT_EQ(Ring()->tail, head_);
}

TEST_F(ConsoleRingTest, RecordsWrappingAroundTheEndArriveWhole) {
  FdCapture out(1);
  std::string expected;
  // Three rounds of ~6 KiB records: the third wraps the 16 KiB data area.
  for (int round = 0; round < 4; round++) {
    std::string text(CONSOLE_RING_RECORD_MAX, static_cast<char>('a' + round));
    for (int i = 0; i < 5; i++) {
      Append(1, text);
      expected += text;
    }
    ASSERT_EQ(Flush(), 0);
  }
  EXPECT_EQ(out.Finish(), expected);
}

TEST_F(ConsoleRingTest, TheTickAndTheEndOfTheVmWriteItOut) {
  FdCapture out(1);
  Append(1, "ticked ");
  host_.Tick();
  Append(1, "at the end\n");
  host_.Finish();  // fini: the VM ended, however it ended
  EXPECT_EQ(out.Finish(), "ticked at the end\n");
}

TEST_F(ConsoleRingTest, AFailedWriteOutSendsTheStreamAroundTheRing) {
  FdPipe p(1, /*is_read_end=*/false);
  p.CloseOtherEnd();
  Append(1, "nobody reads this");
  ASSERT_EQ(Flush(), 0);
  EXPECT_EQ(Ring()->direct[1], 1u);  // the next write goes direct and sees EPIPE
  EXPECT_EQ(Ring()->direct[2], 0u);
}

TEST_F(ConsoleRingTest, AHeadBeyondOneRingEndsTheVm) {
  Ring()->head = CONSOLE_RING_BYTES + 1;
  EXPECT_EQ(Flush(), 0);  // the hypercall itself was well-formed
  ASSERT_TRUE(host_.exit_request().has_value());
  EXPECT_EQ(host_.exit_request()->status, 125);
}

TEST(ConsoleRingTickTest, ACorruptRingFoundByTheTickEndsTheVm) {
  FakeHost host;
  console_ring *ring = LoadWithRing(host);
  ASSERT_NE(ring, nullptr);
  ring->head = 3;  // half a record header
  host.Tick();
  ASSERT_TRUE(host.exit_request().has_value());
  EXPECT_EQ(host.exit_request()->status, 125);
}

TEST_F(ConsoleRingTest, ABadRecordEndsTheVmAndNothingOfItIsWritten) {
  struct Case {
    uint16_t len;
    uint8_t stream;
    uint32_t advance;  // what head claims
  };
  for (Case c : {Case{0, 1, 4}, Case{CONSOLE_RING_RECORD_MAX + 1, 1, 4 + CONSOLE_RING_RECORD_MAX + 1},
                 Case{3, 0, 7}, Case{3, 3, 7}, Case{10, 1, 8}, Case{1, 1, 2}}) {
    FakeHost host;
    console_ring *ring = LoadWithRing(host);
    ASSERT_NE(ring, nullptr);
    console_record rec{c.len, c.stream, 0};
    std::memcpy(ring->data, &rec, sizeof rec);
    std::memset(ring->data + sizeof rec, 'x', 16);
    ring->head = c.advance;
    FdCapture out(1);
    console_args a{};
    a.hdr.op = CONSOLE_OP_FLUSH;
    EXPECT_EQ(host.Hypercall(kPort, kBlock, &a), 0);
    EXPECT_EQ(a.hdr.result, -EIO);
    ASSERT_TRUE(host.exit_request().has_value()) << c.len << " " << int(c.stream);
    EXPECT_EQ(host.exit_request()->status, 125);
    EXPECT_EQ(out.Finish(), "");
    host.Finish();  // a broken ring is not read again at the end
  }
}

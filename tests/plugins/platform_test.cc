// The platform plugin from its .so: exit statuses, the signal-death message,
// panic and trace text made safe for the host terminal.
#include "platform/platform_abi.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#include <cerrno>
#include <chrono>
#include <string>

#include "tests/plugins/fake_host.h"
#include "tests/plugins/fd_redirect.h"

namespace {

constexpr uint16_t kPort = 0x500;
constexpr uint32_t kBlock = 0x1000;
constexpr uint64_t kMsg = 0x10000;

class PlatformTest : public ::testing::Test {
 protected:
  void Load() { ASSERT_EQ(host_.Load("plugins/platform/platform.so"), 0) << host_.load_error(); }

  int64_t Call(platform_args a) {
    EXPECT_EQ(host_.Hypercall(kPort, kBlock, &a), 0);
    return a.hdr.result;
  }
  int64_t Exit(int32_t status) {
    platform_args a{};
    a.hdr.op = PLATFORM_OP_EXIT;
    a.status = status;
    return Call(a);
  }
  int64_t Death(int32_t signo, uint64_t rip, uint64_t addr) {
    platform_args a{};
    a.hdr.op = PLATFORM_OP_SIGNAL_DEATH;
    a.signo = signo;
    a.rip = rip;
    a.addr = addr;
    return Call(a);
  }
  // PANIC or TRACE with `text` placed in guest RAM.
  int64_t Message(uint32_t op, const std::string &text) {
    host_.Poke(kMsg, text);
    platform_args a{};
    a.hdr.op = op;
    a.msg_gpa = kMsg;
    a.msg_len = text.size();
    return Call(a);
  }
  std::string ExitMessage() const {
    return host_.exit_request() && host_.exit_request()->message
               ? *host_.exit_request()->message
               : "<none>";
  }

  FakeHost host_;
};

TEST_F(PlatformTest, RegistersItsPort) {
  Load();
  ASSERT_NE(host_.FindKind(PLATFORM_KIND), nullptr);
  EXPECT_EQ(host_.FindKind(PLATFORM_KIND)->base, kPort);
}

TEST_F(PlatformTest, ExitStatusIsTheLowByte) {
  Load();
  EXPECT_EQ(Exit(3), 0);
  ASSERT_TRUE(host_.exit_request());
  EXPECT_EQ(host_.exit_request()->status, 3);
  EXPECT_FALSE(host_.exit_request()->message) << "a normal exit prints nothing";
}

TEST_F(PlatformTest, ExitStatusWrapsLikeExit2) {
  for (auto [given, want] : {std::pair{0x1ff, 0xff}, {256, 0}, {-1, 255}}) {
    FakeHost host;
    ASSERT_EQ(host.Load("plugins/platform/platform.so"), 0);
    platform_args a{};
    a.hdr.op = PLATFORM_OP_EXIT;
    a.status = given;
    ASSERT_EQ(host.Hypercall(kPort, kBlock, &a), 0);
    ASSERT_TRUE(host.exit_request());
    EXPECT_EQ(host.exit_request()->status, want) << given;
  }
}

TEST_F(PlatformTest, SignalDeathNamesSignalRipAndAddress) {
  Load();
  EXPECT_EQ(Death(11, 0x401a2b, 0x10), 0);
  ASSERT_TRUE(host_.exit_request());
  EXPECT_EQ(host_.exit_request()->status, 139);
  EXPECT_EQ(ExitMessage(), "program killed by SIGSEGV (signal 11) at rip 0x401a2b address 0x10");
}

// The guest's crash report: one sanitized "minivm: crash: " line per guest
// line, all before the death line (printed by the core after them).
TEST_F(PlatformTest, SignalDeathPrintsTheCrashReportFirst) {
  Load();
  std::string report = "pid 2 (prog) killed by SIGSEGV\x1b]0;title\x07\n  #0  401a2b main+0x1b\n";
  host_.Poke(kMsg, report);
  platform_args a{};
  a.hdr.op = PLATFORM_OP_SIGNAL_DEATH;
  a.signo = 11;
  a.rip = 0x401a2b;
  a.msg_gpa = kMsg;
  a.msg_len = report.size();
  FdCapture err(2);
  EXPECT_EQ(Call(a), 0);
  EXPECT_EQ(err.Finish(),
            "minivm: crash: pid 2 (prog) killed by SIGSEGV\n"
            "minivm: crash:   #0  401a2b main+0x1b\n");
  ASSERT_TRUE(host_.exit_request());
  EXPECT_EQ(host_.exit_request()->status, 139);
  EXPECT_EQ(ExitMessage(), "program killed by SIGSEGV (signal 11) at rip 0x401a2b address 0x0");
}

// A report the host cannot read is left out; the death is still reported.
TEST_F(PlatformTest, SignalDeathWithUnreadableReportStillDies) {
  Load();
  platform_args a{};
  a.hdr.op = PLATFORM_OP_SIGNAL_DEATH;
  a.signo = 6;
  a.msg_gpa = host_.ram_size() - 2;
  a.msg_len = 64;
  FdCapture err(2);
  EXPECT_EQ(Call(a), 0);
  EXPECT_EQ(err.Finish(), "");
  ASSERT_TRUE(host_.exit_request());
  EXPECT_EQ(host_.exit_request()->status, 134);
}

TEST_F(PlatformTest, SignalNamesCoverClassicAndRealtime) {
  struct Case {
    int signo;
    const char *name;
  };
  for (Case c : {Case{4, "SIGILL"}, {8, "SIGFPE"}, {31, "SIGSYS"}, {32, "SIGRTMIN"},
                 {34, "SIGRTMIN+2"}, {64, "SIGRTMAX"}}) {
    FakeHost host;
    ASSERT_EQ(host.Load("plugins/platform/platform.so"), 0);
    platform_args a{};
    a.hdr.op = PLATFORM_OP_SIGNAL_DEATH;
    a.signo = c.signo;
    ASSERT_EQ(host.Hypercall(kPort, kBlock, &a), 0);
    ASSERT_TRUE(host.exit_request() && host.exit_request()->message);
    EXPECT_EQ(host.exit_request()->status, 128 + c.signo);
    EXPECT_EQ(host.exit_request()->message->rfind(std::string("program killed by ") + c.name +
                                                      " (signal " + std::to_string(c.signo) +
                                                      ")",
                                                  0),
              0u)
        << *host.exit_request()->message;
  }
}

TEST_F(PlatformTest, SignalNumberOutOfRangeIsRefused) {
  Load();
  EXPECT_EQ(Death(0, 0, 0), -EINVAL);
  EXPECT_EQ(Death(65, 0, 0), -EINVAL);
  EXPECT_EQ(Death(-11, 0, 0), -EINVAL);
  EXPECT_FALSE(host_.exit_request());
}

TEST_F(PlatformTest, PanicExits125WithSanitizedMessage) {
  Load();
  // Colour codes, a window-title OSC, a bell, a carriage return and a C1 byte.
  EXPECT_EQ(Message(PLATFORM_OP_PANIC,
                    "bad \x1b[31mpage\x1b[0m table\x1b]0;pwned\x07\x07\r at \x9b" "2J0x1000"),
            0);
  ASSERT_TRUE(host_.exit_request());
  EXPECT_EQ(host_.exit_request()->status, 125);
  EXPECT_EQ(ExitMessage(), "guest kernel panic: bad page table at ?2J0x1000");
}

TEST_F(PlatformTest, MultiLinePanicPrintsOneLinePerGuestLine) {
  Load();
  FdCapture err(2);
  EXPECT_EQ(Message(PLATFORM_OP_PANIC, "first\n\nsecond\x1b[2K\nlast\n"), 0);
  EXPECT_EQ(err.Finish(),
            "minivm: guest kernel panic: first\n"
            "minivm: guest kernel panic: second\n");
  EXPECT_EQ(ExitMessage(), "guest kernel panic: last");  // printed by the core, after these
}

TEST_F(PlatformTest, PanicMessageIsCutAtTheLimit) {
  Load();
  EXPECT_EQ(Message(PLATFORM_OP_PANIC, std::string(PLATFORM_MESSAGE_MAX + 500, 'A')), 0);
  EXPECT_EQ(ExitMessage(), "guest kernel panic: " + std::string(PLATFORM_MESSAGE_MAX, 'A'));
}

TEST_F(PlatformTest, PanicWithUnreadableMessageStillExits) {
  Load();
  platform_args a{};
  a.hdr.op = PLATFORM_OP_PANIC;
  a.msg_gpa = host_.ram_size() - 2;
  a.msg_len = 16;
  EXPECT_EQ(Call(a), -EFAULT);
  ASSERT_TRUE(host_.exit_request());
  EXPECT_EQ(host_.exit_request()->status, 125);
  EXPECT_EQ(ExitMessage(), "guest kernel panic: (message not in guest RAM)");
}

TEST_F(PlatformTest, EmptyPanic) {
  Load();
  EXPECT_EQ(Message(PLATFORM_OP_PANIC, "\x1b[0m\n"), 0);
  EXPECT_EQ(ExitMessage(), "guest kernel panic: (no message)");
}

TEST_F(PlatformTest, TraceIsSilentWithoutTheSetting) {
  host_.SetVmSetting("trace", "0");
  Load();
  FdCapture err(2);
  EXPECT_EQ(Message(PLATFORM_OP_TRACE, "syscall read\n"), 0);
  EXPECT_EQ(err.Finish(), "");
  EXPECT_FALSE(host_.exit_request());
}

TEST_F(PlatformTest, TracePrintsSanitizedLines) {
  host_.SetVmSetting("trace", "1");
  Load();
  FdCapture err(2);
  EXPECT_EQ(Message(PLATFORM_OP_TRACE, "open(\"/etc\x1b[8m\")\tok\nread\n"), 0);
  EXPECT_EQ(err.Finish(), "minivm: trace: open(\"/etc\") ok\nminivm: trace: read\n");
  EXPECT_FALSE(host_.exit_request());
}

TEST_F(PlatformTest, TraceOutsideRamIsEfault) {
  host_.SetVmSetting("trace", "1");
  Load();
  platform_args a{};
  a.hdr.op = PLATFORM_OP_TRACE;
  a.msg_gpa = ~0ull - 1;
  a.msg_len = 4;
  EXPECT_EQ(Call(a), -EFAULT);
}

TEST_F(PlatformTest, SleepGivesTheCpuBackForTheAskedTime) {
  Load();
  platform_args a{};
  a.hdr.op = PLATFORM_OP_SLEEP;
  a.sleep_ns = 20'000'000;
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Call(a), 0);
  auto slept = std::chrono::steady_clock::now() - start;
  EXPECT_GE(slept, std::chrono::milliseconds(20));
  EXPECT_LT(slept, std::chrono::milliseconds(900)) << "one bounded sleep, not a spin or more";
  EXPECT_FALSE(host_.exit_request());
}

// The core's tick signal interrupts a sleep every 10 ms: the sleep goes on
// for the time left unless the run must end (--timeout, an exit request).
static void NoteSignal(int) {}

class SignalsDuringSleep {
 public:
  SignalsDuringSleep() {
    struct sigaction sa {};
    sa.sa_handler = NoteSignal;  // no SA_RESTART: the sleep sees EINTR
    sigaction(SIGALRM, &sa, &old_);
    struct itimerval every_5ms = {{0, 5000}, {0, 5000}};
    setitimer(ITIMER_REAL, &every_5ms, nullptr);
  }
  ~SignalsDuringSleep() {
    struct itimerval off = {};
    setitimer(ITIMER_REAL, &off, nullptr);
    sigaction(SIGALRM, &old_, nullptr);
  }

 private:
  struct sigaction old_;
};

TEST_F(PlatformTest, SleepOutlastsSignalsUnlessTheRunMustStop) {
  Load();
  platform_args a{};
  a.hdr.op = PLATFORM_OP_SLEEP;
  a.sleep_ns = 60'000'000;
  {
    SignalsDuringSleep signals;
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(Call(a), 0);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(60))
        << "a signal cut the sleep short although the run goes on";
  }
  host_.RequestExit(0, "stop");  // what a timeout or an exit request look like to a plugin
  {
    SignalsDuringSleep signals;
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(Call(a), -EINTR);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(60));
  }
}

TEST_F(PlatformTest, SleepIsBoundedAndDeclaresOnlyMonotonicClockNanosleep) {
  Load();
  platform_args a{};
  a.hdr.op = PLATFORM_OP_SLEEP;
  a.sleep_ns = 0;
  EXPECT_EQ(Call(a), 0);
  int sleeps = 0;
  for (const FakeHost::SeccompGrant &g : host_.seccomp_grants()) {
    if (g.syscall_nr != SYS_clock_nanosleep) continue;
    sleeps++;
    EXPECT_EQ(g.arg_index, 0);
    EXPECT_EQ(g.value, static_cast<uint64_t>(CLOCK_MONOTONIC));
  }
  EXPECT_EQ(sleeps, 1);
  // A huge request is cut to PLATFORM_SLEEP_MAX_NS (1 s), not hours.
  a.sleep_ns = ~0ull;
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Call(a), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST_F(PlatformTest, UnknownOpIsEinval) {
  Load();
  platform_args a{};
  a.hdr.op = 42;
  EXPECT_EQ(Call(a), -EINVAL);
  EXPECT_FALSE(host_.exit_request());
}

TEST_F(PlatformTest, OnlyA32BitOutIsAHypercall) {
  Load();
  uint32_t v = kBlock;
  EXPECT_NE(host_.Io(kPort, false, 4, &v), 0);
  EXPECT_NE(host_.Io(kPort, true, 2, &v), 0);
  EXPECT_NE(host_.Out32(kPort, 0xfffffff0u), 0);
}

}  // namespace

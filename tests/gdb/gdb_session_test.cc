// gdb_session_handle (core/gdb/gdb_session.h) against a fake target: the
// replies gdb gets for each command, and what the target was asked to do.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

extern "C" {
#include "core/gdb/gdb_session.h"
#include "core/gdb/x86_registers.h"
}

namespace {

struct FakeTarget {
  x86_registers regs{};
  std::map<uint64_t, uint8_t> memory;  // mapped bytes
  std::vector<std::string> points;     // "+T,ADDR,LEN" / "-T,ADDR,LEN"
  int point_result = 0;
  std::vector<uint32_t> threads = {0x2a};
  uint32_t last_thread = 0;
};

int GetRegs(void *ctx, uint32_t thread, x86_registers *r) {
  auto *t = static_cast<FakeTarget *>(ctx);
  t->last_thread = thread;
  *r = t->regs;
  return 0;
}
int SetRegs(void *ctx, uint32_t thread, const x86_registers *r) {
  auto *t = static_cast<FakeTarget *>(ctx);
  t->last_thread = thread;
  t->regs = *r;
  return 0;
}
size_t ListThreads(void *ctx, uint32_t *ids, size_t max) {
  auto *t = static_cast<FakeTarget *>(ctx);
  size_t n = 0;
  for (; n < t->threads.size() && n < max; n++) ids[n] = t->threads[n];
  return n;
}
size_t ReadMem(void *ctx, uint64_t addr, uint8_t *buf, size_t len) {
  auto *t = static_cast<FakeTarget *>(ctx);
  size_t n = 0;
  for (; n < len; n++) {
    auto it = t->memory.find(addr + n);
    if (it == t->memory.end()) break;
    buf[n] = it->second;
  }
  return n;
}
size_t WriteMem(void *ctx, uint64_t addr, const uint8_t *buf, size_t len) {
  auto *t = static_cast<FakeTarget *>(ctx);
  size_t n = 0;
  for (; n < len && t->memory.count(addr + n); n++) t->memory[addr + n] = buf[n];
  return n;
}
std::string PointText(char sign, gdb_point_type type, uint64_t addr, uint64_t len) {
  char text[64];
  snprintf(text, sizeof text, "%c%d,%llx,%llu", sign, static_cast<int>(type),
           static_cast<unsigned long long>(addr), static_cast<unsigned long long>(len));
  return text;
}
int Insert(void *ctx, gdb_point_type type, uint64_t addr, uint64_t len) {
  auto *t = static_cast<FakeTarget *>(ctx);
  t->points.push_back(PointText('+', type, addr, len));
  return t->point_result;
}
int Remove(void *ctx, gdb_point_type type, uint64_t addr, uint64_t len) {
  auto *t = static_cast<FakeTarget *>(ctx);
  t->points.push_back(PointText('-', type, addr, len));
  return t->point_result;
}

const gdb_target_ops kOps = {GetRegs, SetRegs, ListThreads, ReadMem, WriteMem, Insert, Remove};

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override { gdb_session_init(&session_, &kOps, &target_, 0x2a); }

  std::string Ask(const std::string &packet, gdb_action *action = nullptr) {
    uint8_t reply[GDB_REPLY_MAX];
    size_t len = 0;
    gdb_action a = gdb_session_handle(&session_, reinterpret_cast<const uint8_t *>(packet.data()),
                                      packet.size(), reply, &len);
    if (action) *action = a;
    EXPECT_LE(len, GDB_REPLY_MAX);
    return std::string(reinterpret_cast<char *>(reply), len);
  }

  FakeTarget target_;
  gdb_session session_;
};

TEST_F(SessionTest, AnnouncesWhatItSupports) {
  std::string features = Ask("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386");
  EXPECT_NE(features.find("PacketSize=1000"), std::string::npos);
  EXPECT_NE(features.find("qXfer:features:read+"), std::string::npos);
  EXPECT_NE(features.find("QStartNoAckMode+"), std::string::npos);
  EXPECT_EQ(Ask("vCont?"), "vCont;c;C;s;S");
  EXPECT_EQ(Ask("QStartNoAckMode"), "OK");
  EXPECT_TRUE(session_.no_ack);
  EXPECT_EQ(Ask("vMustReplyEmpty"), "");
  EXPECT_EQ(Ask("qAttached"), "1");
}

TEST_F(SessionTest, ListsThreadsAndReadsTheSelectedOnesRegisters) {
  EXPECT_EQ(Ask("qC"), "QC2a");
  EXPECT_EQ(Ask("qfThreadInfo"), "m2a");
  EXPECT_EQ(Ask("qsThreadInfo"), "l");
  target_.threads = {0x2a, 0x2b, 0x30};
  EXPECT_EQ(Ask("qfThreadInfo"), "m2a,2b,30");
  EXPECT_EQ(Ask("Hg0"), "OK");
  EXPECT_EQ(Ask("Hc-1"), "OK");
  EXPECT_EQ(Ask("Hg7"), "E01");
  EXPECT_EQ(Ask("Hgzz"), "E01");
  EXPECT_EQ(Ask("T2b"), "OK");
  EXPECT_EQ(Ask("T3"), "E01");
  EXPECT_EQ(Ask("Hg30"), "OK");
  Ask("g");
  EXPECT_EQ(target_.last_thread, 0x30u);
  Ask("c401000");  // resuming at an address moves the stopped thread
  EXPECT_EQ(target_.last_thread, 0x2au);
  gdb_session_stopped(&session_, 0x2a, 0x2b);
  EXPECT_EQ(Ask("qC"), "QC2b");
  Ask("p0");
  EXPECT_EQ(target_.last_thread, 0x2bu);
}

TEST_F(SessionTest, ReadsAndWritesAllRegistersInTargetOrder) {
  target_.regs.gpr[0] = 0x1122334455667788ull;  // rax
  target_.regs.rip = 0x401000;
  target_.regs.fs_base = 0xabcdef;
  std::string g = Ask("g");
  ASSERT_EQ(g.size(), 2u * X86_REGISTERS_BYTES);
  EXPECT_EQ(g.substr(0, 16), "8877665544332211");
  EXPECT_EQ(g.substr(16 * 16, 16), "0010400000000000");  // rip, register 16
  EXPECT_EQ(Ask("p10"), "0010400000000000");
  EXPECT_EQ(Ask("p3a"), "efcdab0000000000");  // fs_base, register 58
  EXPECT_EQ(Ask("p3c"), "E01");               // no register 60
  // G with the same image, one byte changed, writes every register.
  std::string changed = g;
  changed[1] = '9';
  EXPECT_EQ(Ask("G" + changed), "OK");
  EXPECT_EQ(target_.regs.gpr[0], 0x1122334455667789ull);
  EXPECT_EQ(Ask("G" + changed.substr(2)), "E01");  // short: nothing written
  EXPECT_EQ(Ask("P10=0020400000000000"), "OK");
  EXPECT_EQ(target_.regs.rip, 0x402000u);
  EXPECT_EQ(Ask("P10=0020"), "E01");  // wrong width
  EXPECT_EQ(Ask("P10"), "E01");
}

TEST_F(SessionTest, ReadsAndWritesMemoryWithinWhatIsMapped) {
  for (uint64_t a = 0x1000; a < 0x1004; a++) target_.memory[a] = static_cast<uint8_t>(a);
  EXPECT_EQ(Ask("m1000,4"), "00010203");
  EXPECT_EQ(Ask("m1002,10"), "0203");  // up to the first unmapped byte
  EXPECT_EQ(Ask("m2000,4"), "E0e");
  EXPECT_EQ(Ask("m1000"), "E01");
  EXPECT_EQ(Ask("m1000,100000"), "E01");  // more than a reply holds
  EXPECT_EQ(Ask("M1000,2:aabb"), "OK");
  EXPECT_EQ(target_.memory[0x1001], 0xbb);
  EXPECT_EQ(Ask("M1000,2:aab"), "E01");
  EXPECT_EQ(Ask("M1003,2:aabb"), "E0e");  // runs off the mapping
  EXPECT_EQ(Ask(std::string("X1000,2:#\0", 10)), "OK");
  EXPECT_EQ(target_.memory[0x1000], '#');
  EXPECT_EQ(target_.memory[0x1001], 0);
  EXPECT_EQ(Ask("X1000,0:"), "OK");
  EXPECT_EQ(Ask("X1000,3:ab"), "E01");  // length disagrees with the data
}

TEST_F(SessionTest, PassesBreakAndWatchpointsToTheTarget) {
  EXPECT_EQ(Ask("Z0,401633,1"), "OK");
  EXPECT_EQ(Ask("z0,401633,1"), "OK");
  EXPECT_EQ(Ask("Z2,4ab228,4"), "OK");
  EXPECT_EQ(Ask("Z1,401000,1;X2,ab"), "OK");  // conditions are ignored
  ASSERT_EQ(target_.points.size(), 4u);
  EXPECT_EQ(target_.points[0], "+0,401633,1");
  EXPECT_EQ(target_.points[1], "-0,401633,1");
  EXPECT_EQ(target_.points[2], "+2,4ab228,4");
  EXPECT_EQ(Ask("Z5,1,1"), "E01");
  EXPECT_EQ(Ask("Z0,1"), "E01");
  target_.point_result = 1;  // this kind is not supported
  EXPECT_EQ(Ask("Z2,4ab228,4"), "");
  target_.point_result = -1;
  EXPECT_EQ(Ask("Z0,0,1"), "E01");
}

TEST_F(SessionTest, NamesProcessAndThreadUnderMultiprocess) {
  EXPECT_EQ(Ask("qSupported:swbreak+").find("multiprocess+"), std::string::npos);
  EXPECT_NE(Ask("qSupported:multiprocess+;swbreak+").find(";multiprocess+"), std::string::npos);
  target_.threads = {0x2a, 0x2b};
  EXPECT_EQ(Ask("qC"), "QCp2a.2a");
  EXPECT_EQ(Ask("qfThreadInfo"), "mp2a.2a,p2a.2b");
  EXPECT_EQ(Ask("Hgp2a.2b"), "OK");
  Ask("g");
  EXPECT_EQ(target_.last_thread, 0x2bu);
  EXPECT_EQ(Ask("Hgp0.0"), "OK");
  EXPECT_EQ(Ask("Hcp-1.-1"), "OK");
  EXPECT_EQ(Ask("Tp2a.2b"), "OK");
  EXPECT_EQ(Ask("Tp2a.7"), "E01");
  EXPECT_EQ(Ask("Hgp2a."), "E01");
  gdb_action a;
  Ask("vCont;s:p2a.2a;c:p2a.-1", &a);
  EXPECT_EQ(a, GDB_ACTION_STEP);
  char text[48];
  gdb_session_end_text(&session_, 'W', 3, text, sizeof text);
  EXPECT_STREQ(text, "W03;process:2a");
}

TEST_F(SessionTest, ResumesAsAsked) {
  gdb_action a;
  EXPECT_EQ(Ask("c", &a), "");
  EXPECT_EQ(a, GDB_ACTION_CONTINUE);
  Ask("s", &a);
  EXPECT_EQ(a, GDB_ACTION_STEP);
  Ask("c401500", &a);
  EXPECT_EQ(a, GDB_ACTION_CONTINUE);
  EXPECT_EQ(target_.regs.rip, 0x401500u);
  Ask("S05;401600", &a);
  EXPECT_EQ(a, GDB_ACTION_STEP);
  EXPECT_EQ(target_.regs.rip, 0x401600u);
  Ask("vCont;s:2a;c", &a);
  EXPECT_EQ(a, GDB_ACTION_STEP);
  Ask("vCont;s:7;c", &a);
  EXPECT_EQ(a, GDB_ACTION_CONTINUE);
  Ask("vCont;c:-1", &a);
  EXPECT_EQ(a, GDB_ACTION_CONTINUE);
  EXPECT_EQ(Ask("vCont;x", &a), "E01");
  EXPECT_EQ(a, GDB_ACTION_REPLY);
  EXPECT_EQ(Ask("czz", &a), "E01");
  EXPECT_EQ(a, GDB_ACTION_REPLY);
  EXPECT_EQ(Ask("D", &a), "OK");
  EXPECT_EQ(a, GDB_ACTION_DETACH);
  Ask("k", &a);
  EXPECT_EQ(a, GDB_ACTION_KILL);
}

TEST_F(SessionTest, ServesTheTargetDescriptionInPieces) {
  std::string xml;
  for (;;) {
    char packet[64];
    snprintf(packet, sizeof packet, "qXfer:features:read:target.xml:%zx,200", xml.size());
    std::string part = Ask(packet);
    ASSERT_FALSE(part.empty());
    ASSERT_TRUE(part[0] == 'm' || part[0] == 'l');
    xml += part.substr(1);
    if (part[0] == 'l') break;
  }
  EXPECT_EQ(xml, std::string(x86_target_xml));
  EXPECT_NE(xml.find("<architecture>i386:x86-64</architecture>"), std::string::npos);
  EXPECT_NE(xml.find("name=\"fs_base\""), std::string::npos);
  EXPECT_NE(xml.find("name=\"gs_base\""), std::string::npos);
  EXPECT_EQ(Ask("qXfer:features:read:other.xml:0,10"), "E00");
  EXPECT_EQ(Ask("qXfer:features:read:target.xml:zz"), "E01");
}

TEST_F(SessionTest, RepeatsTheLastStopAndIgnoresTheUnknown) {
  EXPECT_EQ(Ask("?"), "S05");
  snprintf(session_.stop_reply, sizeof session_.stop_reply, "T05thread:2a;");
  EXPECT_EQ(Ask("?"), "T05thread:2a;");
  EXPECT_EQ(Ask("qTStatus"), "");
  EXPECT_EQ(Ask("!"), "");
  EXPECT_EQ(Ask(""), "");
}

}  // namespace

// Fuzzes what the gdb stub does with bytes from its socket: the RSP decoder
// and every command, over a target whose memory is read through the real
// guest page walk of page tables the input writes (a hostile guest's tables
// and a malformed packet stream at once). An input is
//
//   u16 n, then n bytes (up to 8 KiB) copied over the guest's PML4 and the
//   page after it, then the byte stream gdb would have sent.
//
// Invariants: no reply exceeds GDB_REPLY_MAX, every reply can be framed in
// the stub's send buffer, and the decoder never hands out a packet longer
// than RSP_PACKET_MAX.
#include <cstring>

#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" {
#include "core/gdb/gdb_session.h"
#include "core/gdb/guest_page_walk.h"
#include "core/gdb/rsp_framing.h"
#include "core/gdb/x86_registers.h"
#include "core/guest_memory.h"
}

namespace {

constexpr uint64_t kTables = 0x10000;  // the PML4, then one more table page
guest_memory memory;
x86_registers registers;

guest_address_space Space() { return {&memory, kTables, 0x800000000000ull, false}; }

int GetRegs(void *, uint32_t, x86_registers *r) {
  *r = registers;
  return 0;
}
int SetRegs(void *, uint32_t, const x86_registers *r) {
  registers = *r;
  return 0;
}
size_t ListThreads(void *, uint32_t *ids, size_t max) {
  size_t n = 0;
  for (; n < 3 && n < max; n++) ids[n] = static_cast<uint32_t>(n + 1);
  return n;
}
size_t ReadMem(void *, uint64_t addr, uint8_t *buf, size_t len) {
  guest_address_space as = Space();
  return guest_virt_read(&as, addr, buf, len);
}
size_t WriteMem(void *, uint64_t addr, const uint8_t *buf, size_t len) {
  guest_address_space as = Space();
  return guest_virt_write(&as, addr, buf, len);
}
int Point(void *, gdb_point_type type, uint64_t addr, uint64_t) {
  if (type != GDB_POINT_SOFTWARE) return 1;
  guest_address_space as = Space();
  uint8_t old;
  return guest_page_patch_byte(&as, addr, 0xcc, &old) == 0 ? 0 : -1;
}

const gdb_target_ops kOps = {GetRegs, SetRegs, ListThreads, ReadMem, WriteMem, Point, Point};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  return guest_memory_init(&memory, 16ull << 20) == 0 ? 0 : 1;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzInput in(data, size);
  uint8_t *tables = static_cast<uint8_t *>(guest_memory_ptr(&memory, kTables, 8192));
  memset(tables, 0, 8192);
  std::string table_bytes = in.Bytes(in.U16() % 8193);
  memcpy(tables, table_bytes.data(), table_bytes.size());
  memset(&registers, 0, sizeof registers);

  rsp_decoder decoder;
  rsp_decoder_init(&decoder);
  gdb_session session;
  gdb_session_init(&session, &kOps, nullptr, 1);
  static uint8_t reply[GDB_REPLY_MAX];
  static uint8_t framed[2 * GDB_REPLY_MAX + 8];  // the stub's send buffer
  while (!in.empty()) {
    if (rsp_decoder_feed(&decoder, in.U8()) != RSP_INPUT_PACKET) continue;
    FUZZ_CHECK(decoder.len <= RSP_PACKET_MAX, "packet of %zu bytes", decoder.len);
    size_t reply_len = 0;
    gdb_session_handle(&session, decoder.data, decoder.len, reply, &reply_len);
    FUZZ_CHECK(reply_len <= GDB_REPLY_MAX, "reply of %zu bytes", reply_len);
    FUZZ_CHECK(rsp_encode(reply, reply_len, framed, sizeof framed) > 0,
               "a reply of %zu bytes does not frame", reply_len);
  }
  return 0;
}

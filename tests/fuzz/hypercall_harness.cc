#include "tests/fuzz/hypercall_harness.h"

#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/fuzz_target.h"

HypercallInput ParseHypercallInput(const uint8_t *data, size_t size) {
  FuzzInput in(data, size);
  HypercallInput out;
  out.flags = in.U8();
  size_t n = in.U8() % 4 + 1;
  for (size_t i = 0; i < n; i++) {
    uint8_t access = in.U8() & 7;
    uint32_t value = in.U32();
    static const uint8_t kSizes[] = {4, 1, 2, 4, 4, 4, 4, 4};
    out.accesses.push_back(PortAccess{access != 0, kSizes[access], value});
  }
  out.ram = in.rest();
  out.ram_len = in.remaining() < kFuzzRamSize ? in.remaining() : kFuzzRamSize;
  return out;
}

void RunHypercalls(FakeHost &host, const char *kind, size_t block_size,
                   const HypercallInput &input) {
  FUZZ_CHECK(host.ram_size() == kFuzzRamSize, "fake host RAM is not kFuzzRamSize");
  if (input.ram_len > 0) host.Poke(0, input.ram, input.ram_len);
  const FakeHost::Registration *reg = host.FindKind(kind);
  FUZZ_CHECK(reg != nullptr, "no %s port registered", kind);
  for (const PortAccess &a : input.accesses) {
    uint32_t value = a.value;
    int r = host.Io(reg->base, a.is_write, a.size, &value);
    bool is_hypercall = a.is_write && a.size == 4;
    bool block_in_ram = a.value <= kFuzzRamSize && block_size <= kFuzzRamSize - a.value;
    FUZZ_CHECK((r == 0) == (is_hypercall && block_in_ram),
               "%s: %s%u of 0x%x returned %d", kind, a.is_write ? "OUT" : "IN", a.size * 8,
               a.value, r);
    if (host.exit_request()) break;  // the core stops the VM after this exit
  }
}

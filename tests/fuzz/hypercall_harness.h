// The shape every hypercall-device fuzz target shares. An input is
//
//   u8 flags            target-specific (e.g. fileio: writable VM)
//   u8 n                (n % 4) + 1 port accesses follow
//   n x { u8 access, u32 value }
//                       access & 7: 0 IN, 1 OUT8, 2 OUT16, else OUT32 (the
//                       hypercall); value: the block's GPA
//   rest                guest RAM from GPA 0 (kFuzzRamSize bytes, zero-filled)
//
// so one input can open a file and read it, and blocks, paths and buffers
// can point anywhere in (and outside) RAM.
#ifndef MINIVM_TESTS_FUZZ_HYPERCALL_HARNESS_H
#define MINIVM_TESTS_FUZZ_HYPERCALL_HARNESS_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tests/plugins/fake_host.h"

constexpr uint64_t kFuzzRamSize = 64 << 10;

struct PortAccess {
  bool is_write;
  uint8_t size;
  uint32_t value;
};

struct HypercallInput {
  uint8_t flags = 0;
  std::vector<PortAccess> accesses;
  const uint8_t *ram = nullptr;
  size_t ram_len = 0;
};

HypercallInput ParseHypercallInput(const uint8_t *data, size_t size);

// Copies the RAM image into `host`, then makes each access on the port
// registered with `kind`, checking the hypercall contract (minivm/hypercall.h):
// a 32-bit OUT of a block wholly in RAM (`block_size` bytes) succeeds, with
// errors reported in the block; any other access fails closed.
void RunHypercalls(FakeHost &host, const char *kind, size_t block_size,
                   const HypercallInput &input);

#endif  // MINIVM_TESTS_FUZZ_HYPERCALL_HARNESS_H

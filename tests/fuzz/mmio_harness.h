// The shape of the MMIO-device fuzz targets. An input is
//
//   for each key the target names: u8 len, len bytes (len 0: key absent)
//                       the plugin's INI values, e.g. rng's `seed`
//   then records of     u16 offset (within the 4 KiB window), u8 access
//   11 bytes each       (bits 0-1: size 1/2/4/8, bit 2: write), u64 value
//   (at most kMaxMmioAccesses)
//
// Guest RAM is kFuzzMmioRamSize bytes, so device DMA (rng fills) lands in it
// or just beyond it.
#ifndef MINIVM_TESTS_FUZZ_MMIO_HARNESS_H
#define MINIVM_TESTS_FUZZ_MMIO_HARNESS_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tests/plugins/fake_host.h"

constexpr uint64_t kFuzzMmioRamSize = 64 << 10;
constexpr size_t kMaxMmioAccesses = 256;

struct MmioAccess {
  uint64_t offset;
  bool is_write;
  uint8_t size;
  uint64_t value;
};

struct MmioInput {
  std::vector<std::pair<std::string, std::string>> config;  // present keys only
  std::vector<MmioAccess> accesses;
};

MmioInput ParseMmioInput(const uint8_t *data, size_t size, const std::vector<std::string> &keys);

// Sets the input's keys on `host` and initialises the plugin (.so runfile
// `so`). A failed init must have said why: a config_error, or a window the
// host refused. Returns whether the plugin is up.
bool LoadMmioPlugin(FakeHost &host, const char *so, const MmioInput &input);

// What one access did: the handler's result and, for a read, the value.
struct MmioResult {
  int rc;
  uint64_t value;
};

// Makes each access on the window registered with `kind`, as the core would.
std::vector<MmioResult> RunMmio(FakeHost &host, const char *kind, const MmioInput &input);

#endif  // MINIVM_TESTS_FUZZ_MMIO_HARNESS_H

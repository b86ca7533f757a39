// Fuzzes the rng plugin: its `address` and `seed` keys, then any sequence of
// MMIO accesses (mmio_harness.h) over a small guest RAM. Checks beyond "no
// crash": FLAGS tells whether it was seeded, FILL_LEN never reports more than
// RNG_FILL_MAX, and a seeded device replays the same accesses identically.
#include "rng/rng_abi.h"

#include <string>
#include <vector>

#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/mmio_harness.h"

namespace {

struct Run {
  bool loaded;
  bool seeded;
  std::vector<MmioResult> results;
  std::string ram;
};

Run RunOnce(const MmioInput &input) {
  FakeHost host(kFuzzMmioRamSize);
  Run run{false, false, {}, {}};
  for (const auto &kv : input.config) run.seeded |= kv.first == "seed";
  if (!LoadMmioPlugin(host, "plugins/rng/rng.so", input)) return run;
  run.loaded = true;
  run.results = RunMmio(host, RNG_KIND, input);
  for (size_t i = 0; i < input.accesses.size(); i++) {
    const MmioAccess &a = input.accesses[i];
    const MmioResult &r = run.results[i];
    if (r.rc != 0 || a.is_write) continue;
    if (a.offset == RNG_REG_FLAGS)
      FUZZ_CHECK(r.value == (run.seeded ? RNG_FLAG_DETERMINISTIC : 0u), "rng FLAGS 0x%llx",
                 static_cast<unsigned long long>(r.value));
    if (a.offset == RNG_REG_FILL_LEN)
      FUZZ_CHECK(r.value <= RNG_FILL_MAX, "rng FILL_LEN reads 0x%llx",
                 static_cast<unsigned long long>(r.value));
  }
  run.ram = host.Peek(0, kFuzzMmioRamSize);
  return run;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MmioInput input = ParseMmioInput(data, size, {"address", "seed"});
  Run first = RunOnce(input);
  if (!first.loaded || !first.seeded) return 0;
  Run second = RunOnce(input);
  FUZZ_CHECK(second.loaded && second.ram == first.ram, "seeded rng filled RAM differently");
  for (size_t i = 0; i < first.results.size(); i++)
    FUZZ_CHECK(first.results[i].rc == second.results[i].rc &&
                   first.results[i].value == second.results[i].value,
               "seeded rng: access %zu differs between two runs", i);
  return 0;
}

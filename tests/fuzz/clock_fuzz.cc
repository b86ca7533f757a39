// Fuzzes the clock plugin: its `address` and `start` keys, then any sequence
// of MMIO accesses (mmio_harness.h). Checks beyond "no crash": only 8-byte
// reads succeed, MONOTONIC never goes back, FLAGS tells whether `start` was
// given, and a started wall clock never reads before its start.
#include "clock/clock_abi.h"

#include <string>

#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/mmio_harness.h"

extern "C" {
#include "clock/instant.h"
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MmioInput input = ParseMmioInput(data, size, {"address", "start"});
  FakeHost host(kFuzzMmioRamSize);
  const char *start = nullptr;
  for (const auto &kv : input.config) {
    if (kv.first == "start") start = kv.second.c_str();
  }
  if (!LoadMmioPlugin(host, "plugins/clock/clock.so", input)) return 0;
  int64_t start_ns = 0;
  FUZZ_CHECK(start == nullptr || instant_parse(start, &start_ns) == 0,
             "clock accepted start \"%s\" that instant_parse refuses", start);
  std::vector<MmioResult> results = RunMmio(host, CLOCK_KIND, input);
  uint64_t last_monotonic = 0;
  for (size_t i = 0; i < input.accesses.size(); i++) {
    const MmioAccess &a = input.accesses[i];
    const MmioResult &r = results[i];
    bool known = a.offset == CLOCK_REG_REALTIME_NS || a.offset == CLOCK_REG_MONOTONIC_NS ||
                 a.offset == CLOCK_REG_FLAGS;
    FUZZ_CHECK((r.rc == 0) == (known && !a.is_write && a.size == 8),
               "clock: %s%u at 0x%llx returned %d", a.is_write ? "write" : "read", a.size,
               static_cast<unsigned long long>(a.offset), r.rc);
    if (r.rc != 0) continue;
    if (a.offset == CLOCK_REG_MONOTONIC_NS) {
      FUZZ_CHECK(r.value >= last_monotonic, "MONOTONIC went back");
      last_monotonic = r.value;
    } else if (a.offset == CLOCK_REG_FLAGS) {
      FUZZ_CHECK(r.value == (start ? CLOCK_FLAG_FIXED_START : 0u), "clock FLAGS 0x%llx",
                 static_cast<unsigned long long>(r.value));
    } else if (start != nullptr) {
      FUZZ_CHECK(static_cast<int64_t>(r.value) >= start_ns, "REALTIME before the start");
    }
  }
  return 0;
}

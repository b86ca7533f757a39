#include "tests/fuzz/mmio_harness.h"

#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/plugin_under_fuzz.h"

MmioInput ParseMmioInput(const uint8_t *data, size_t size, const std::vector<std::string> &keys) {
  FuzzInput in(data, size);
  MmioInput out;
  for (const std::string &key : keys) {
    std::string value = in.ShortString();
    // INI values are C strings: a NUL ends them.
    value = value.substr(0, value.find('\0'));
    if (!value.empty()) out.config.emplace_back(key, value);
  }
  while (!in.empty() && out.accesses.size() < kMaxMmioAccesses) {
    MmioAccess a;
    a.offset = in.U16() % 0x1000;
    uint8_t access = in.U8();
    a.size = static_cast<uint8_t>(1u << (access & 3));
    a.is_write = access & 4;
    a.value = in.U64();
    out.accesses.push_back(a);
  }
  return out;
}

bool LoadMmioPlugin(FakeHost &host, const char *so, const MmioInput &input) {
  for (const auto &kv : input.config) host.SetConfig(kv.first, kv.second);
  int rc = LoadPluginUnderFuzz(host, so);
  FUZZ_CHECK(rc != -100, "%s: %s", so, host.load_error().c_str());
  FUZZ_CHECK(rc == 0 || !host.config_errors().empty() || host.mmio_registrations().empty(),
             "%s: init failed without saying why", so);
  return rc == 0;
}

std::vector<MmioResult> RunMmio(FakeHost &host, const char *kind, const MmioInput &input) {
  const FakeHost::MmioRegistration *reg = host.FindMmioKind(kind);
  FUZZ_CHECK(reg != nullptr, "no %s window registered", kind);
  std::vector<MmioResult> results;
  for (const MmioAccess &a : input.accesses) {
    uint64_t value = a.is_write ? a.value : 0;
    int rc = host.Mmio(reg->gpa + a.offset, a.is_write, a.size, &value);
    // A read gives `size` bytes: nothing above them.
    if (rc == 0 && !a.is_write && a.size < 8)
      FUZZ_CHECK(value >> (8 * a.size) == 0, "%s: %u-byte read at 0x%llx gave 0x%llx", kind,
                 a.size, static_cast<unsigned long long>(a.offset),
                 static_cast<unsigned long long>(value));
    results.push_back(MmioResult{rc, value});
  }
  return results;
}

// Fuzzes the platform plugin's hypercall handler over arbitrary guest RAM
// (hypercall_harness.h). flags bit 0 turns --trace on, so TRACE prints.
// Whatever the guest sends, a line the plugin prints is checked by
// sanitize_test; here: no crash, and the hypercall contract holds.
#include "platform/platform_abi.h"

#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/hypercall_harness.h"
#include "tests/fuzz/plugin_under_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  HypercallInput input = ParseHypercallInput(data, size);
  FakeHost host(kFuzzRamSize);
  host.SetVmSetting("trace", input.flags & 1 ? "1" : "0");
  FUZZ_CHECK(LoadPluginUnderFuzz(host, "plugins/platform/platform.so") == 0, "platform init: %s",
             host.load_error().c_str());
  RunHypercalls(host, PLATFORM_KIND, sizeof(platform_args), input);
  if (host.exit_request() && host.exit_request()->message) {
    const std::string &m = *host.exit_request()->message;
    FUZZ_CHECK(m.size() <= 2 * PLATFORM_MESSAGE_MAX, "exit message of %zu bytes", m.size());
    for (unsigned char c : m)
      FUZZ_CHECK(c >= 0x20 && c < 0x7f, "byte 0x%02x in exit message", c);
  }
  return 0;
}

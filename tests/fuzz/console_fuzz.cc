// Fuzzes the console plugin's hypercall handler over arbitrary guest RAM
// (hypercall_harness.h). stdin is /dev/null, so reads end at once; output
// goes to the real fds 1 and 2 (run.sh discards it with -close_fd_mask=3).
#include "console/console_abi.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/hypercall_harness.h"
#include "tests/fuzz/plugin_under_fuzz.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  signal(SIGPIPE, SIG_IGN);  // as the VMM does
  int null = open("/dev/null", O_RDONLY);
  FUZZ_CHECK(null >= 0 && dup2(null, STDIN_FILENO) == STDIN_FILENO, "cannot redirect stdin");
  close(null);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  HypercallInput input = ParseHypercallInput(data, size);
  FakeHost host(kFuzzRamSize);
  FUZZ_CHECK(LoadPluginUnderFuzz(host, "plugins/console/console.so") == 0, "console init: %s",
             host.load_error().c_str());
  RunHypercalls(host, CONSOLE_KIND, sizeof(console_args), input);
  host.Tick();  // the output ring, if the input set one up, as the core's tick reads it
  return 0;
}

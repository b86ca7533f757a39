// How a fuzz target gets its plugin into the fake host. In `bazel test` the
// real .so is dlopen()ed from the runfiles; run.sh compiles the plugin's
// sources into the fuzzer instead (-DMINIVM_FUZZ_LINKED_PLUGIN), so clang
// instruments them and no .so has to be built with sanitizers.
#ifndef MINIVM_TESTS_FUZZ_PLUGIN_UNDER_FUZZ_H
#define MINIVM_TESTS_FUZZ_PLUGIN_UNDER_FUZZ_H

#include "tests/plugins/fake_host.h"

#ifdef MINIVM_FUZZ_LINKED_PLUGIN
extern "C" const struct minivm_plugin_descriptor linked_plugin_descriptor __asm__(
    MINIVM_PLUGIN_DESCRIPTOR_SYMBOL);
#endif

// Initialises the plugin whose .so is runfile `so` (e.g. "plugins/rng/rng.so").
// Returns init's result (-100: the plugin could not be loaded at all).
inline int LoadPluginUnderFuzz(FakeHost &host, const char *so) {
#ifdef MINIVM_FUZZ_LINKED_PLUGIN
  (void)so;
  return host.Init(&linked_plugin_descriptor);
#else
  return host.Load(so);
#endif
}

#endif  // MINIVM_TESTS_FUZZ_PLUGIN_UNDER_FUZZ_H

// The libFuzzer entry points every target defines. Under clang's
// -fsanitize=fuzzer libFuzzer calls them; in `bazel test` corpus_main.cc
// calls them once per seed file, so the corpus doubles as regression tests.
#ifndef MINIVM_TESTS_FUZZ_FUZZ_TARGET_H
#define MINIVM_TESTS_FUZZ_FUZZ_TARGET_H

#include <cstddef>
#include <cstdint>

extern "C" {
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
// Optional: one-time set-up before the first input.
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
}

// A broken invariant: reports it and aborts, which libFuzzer records as a
// crash (with the input saved) and the corpus test as a failure.
[[noreturn]] void FuzzFail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define FUZZ_CHECK(cond, ...) \
  do {                        \
    if (!(cond)) FuzzFail(__VA_ARGS__); \
  } while (0)

#endif  // MINIVM_TESTS_FUZZ_FUZZ_TARGET_H

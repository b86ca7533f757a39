/*
 * What keeps a fuzz run going: rewrites of calls that would kill the
 * supervisor, end every batch at once, hand the fuzzer's own descriptors or
 * memory to the kernel, or move its instruction pointer somewhere arbitrary.
 * Everything else the kernel must survive as it comes.
 */
#ifndef GUEST_FUZZ_GUARDS_H
#define GUEST_FUZZ_GUARDS_H

#include "tests/fuzz/guest/call.h"
#include "tests/fuzz/guest/fuzz.h"

void guards_apply(struct fuzz_state *s, struct call *c);

/* Names of syscalls that must not be fuzzed with generic arguments; if the
 * kernel gains one, the fuzzer skips it until guards.c handles it. */
const char *guards_unhandled_dangerous(const char *name);

#endif

/* Temporary exclusions of known guest-kernel bugs (known_bugs.c). */
#ifndef GUEST_FUZZ_KNOWN_BUGS_H
#define GUEST_FUZZ_KNOWN_BUGS_H

#include "tests/fuzz/guest/call.h"
#include "tests/fuzz/guest/fuzz.h"

/* Adjusts or skips a call that would hit a known bug; off with --known-bugs. */
void known_bugs_avoid(struct fuzz_state *s, struct call *c);
/* Whether batches may eat the guest's memory (pressure.h). */
bool known_bugs_allow_memory_exhaustion(const struct fuzz_state *s);

#endif

/*
 * The supervisor: the program minivm runs (pid 2). It forks every batch into
 * a process group of its own, kills a batch that is stuck or over time, then
 * kills and reaps whatever the batch left, checks that nothing shared
 * changed, and reports. Its exit status: 0, or 1 when something was found.
 */
#ifndef GUEST_FUZZ_SUPERVISOR_H
#define GUEST_FUZZ_SUPERVISOR_H

#include "tests/fuzz/guest/fuzz.h"

int supervisor_run(const struct fuzz_config *cfg);

#endif

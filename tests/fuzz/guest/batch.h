/*
 * One batch: a process the supervisor forks that makes `calls` random system
 * calls (and whose forked children make a few more each), then exits. Any
 * fatal signal or exit ends only the batch.
 */
#ifndef GUEST_FUZZ_BATCH_H
#define GUEST_FUZZ_BATCH_H

#include <stdint.h>

#include "tests/fuzz/guest/fuzz.h"
#include "tests/fuzz/guest/progress.h"

struct supervisor_identity {
    int32_t pid, pgid;
};

__attribute__((noreturn)) void batch_run(const struct fuzz_config *cfg, struct progress *pg,
                                         uint32_t batch, struct supervisor_identity sup);

#endif

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

/* A fuzzing process that a batch process (at `depth`) started with execve:
 * a fresh image with the descriptors it inherited. Fuzzes cfg->calls calls
 * and reports findings on LOG_FD (it has no progress page). */
__attribute__((noreturn)) void batch_run_execed(const struct fuzz_config *cfg, uint64_t child_seed,
                                                uint32_t depth, struct supervisor_identity sup);

/* The arguments main() recognises as an exec'd child. */
#define EXEC_CHILD_FLAG "--exec-child"
#define EXEC_CHILD_ARGC 8

#endif

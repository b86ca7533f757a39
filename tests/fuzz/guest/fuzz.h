/* What a fuzz run is told (options) and what one fuzzing process knows. */
#ifndef GUEST_FUZZ_FUZZ_H
#define GUEST_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/fuzz/guest/rng.h"

/* The console's stderr, kept open by every fuzzing process for the verbose
 * log and for findings of processes that have no progress page (exec'd
 * ones); fuzzed calls never get this descriptor (guards.c). */
#define LOG_FD 1000

struct fuzz_config {
    uint64_t seed;
    uint32_t batches;
    uint32_t calls;           /* per batch */
    bool rw;                  /* the root is writable (minivm --rw) */
    bool verbose;             /* print each call before making it */
    bool fuzz_known_bugs;     /* do not avoid known_bugs.c's list */
    int64_t only_batch;       /* -1: all */
    int64_t stop_after;       /* -1: none; else end the batch before this call */
    uint32_t stall_ms;        /* no call made for this long: the batch is stuck */
    uint32_t batch_ms;        /* a batch's whole time limit */
    const char *self_path;    /* argv[0], which names the program image */
    int64_t exec_child_batch; /* -1, or: an exec'd child of this batch (main.c) */
    uint32_t pressure_odds;   /* 0: default; N: one batch in N eats memory, known bug or not */
};

#define MAX_FDS 48
#define MAX_CHILDREN 16
#define MAX_MAPPINGS 8

/* One fuzzing process: the batch itself (depth 0) or a child it forked. */
struct fuzz_state {
    const struct fuzz_config *cfg;
    struct progress *progress;
    struct rng rng;
    uint32_t batch;
    int32_t pid;
    int32_t supervisor_pid, supervisor_pgid;
    uint32_t depth;
    uint32_t call;       /* index of the current call in this process */
    uint32_t calls_end;  /* this process stops before this index */
    int32_t fds[MAX_FDS];
    uint32_t nfds;
    int32_t closed_fds[8];
    uint32_t nclosed;
    int32_t children[MAX_CHILDREN];
    uint32_t nchildren;
    uint64_t map_addr[MAX_MAPPINGS], map_len[MAX_MAPPINGS];
    uint32_t nmaps;
    uint64_t brk; /* the break as last seen */
    int32_t parent_pid;
    uint64_t cow_seed;     /* the copy-on-write canary's pattern (memory.h) */
    uint64_t clock_ns[8];  /* the last reading of each clock, for monotonicity */
};

#endif

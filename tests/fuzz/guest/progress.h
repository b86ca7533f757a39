/*
 * A MAP_SHARED page the supervisor creates (and touches) before forking each
 * batch. Fuzzing processes note what they are doing; the supervisor reads it
 * to see a batch is stuck and, after a batch, to report what it found.
 */
#ifndef GUEST_FUZZ_PROGRESS_H
#define GUEST_FUZZ_PROGRESS_H

#include <stdint.h>

#define FINDING_TEXT_MAX 200

struct progress {
    /* Every call by any process of the batch (only that it changes matters). */
    volatile uint64_t calls_made;
    /* The batch process (depth 0): its current call. */
    volatile uint32_t call;
    volatile int32_t nr;
    volatile uint64_t args[6];
    /* The last call started by any process of the batch. */
    volatile int32_t last_pid;
    volatile uint32_t last_depth;
    volatile uint32_t last_call;
    volatile int32_t last_nr;
    /* Counters for the run's summary. */
    volatile uint64_t skipped, resumed, forks, sub_calls;
    /* The first broken invariant a fuzzing process saw. */
    volatile uint32_t finding;
    volatile uint32_t finding_call;
    volatile uint32_t finding_depth;
    volatile int32_t finding_nr;
    volatile uint64_t finding_args[6];
    volatile int64_t finding_result;
    char finding_text[FINDING_TEXT_MAX];
};

#endif

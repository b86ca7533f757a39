/*
 * The scheduler: one CPU, no preemption. A process runs until it blocks in a
 * system call (sched_block) or exits; the next runnable process then runs,
 * round-robin. Blocking is always interruptible: a signal wakes the process,
 * and every caller re-checks its condition in a loop (spurious wake-ups are
 * fine). When nothing can run, the vCPU sleeps in the host until the earliest
 * deadline (platform device), so sleeping never spins.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct process;

/*
 * Blocks the current process until sched_wake(chan), a signal, or the
 * monotonic deadline `deadline_ns` (0: none; chan may be NULL for a pure
 * sleep). Returns true when it woke because the deadline passed.
 */
bool sched_block(const void *chan, uint64_t deadline_ns);

/* Sleeps until the monotonic time `deadline_ns`: 0, or -EINTR when a signal
 * came first. */
int sched_sleep_until(uint64_t deadline_ns);

/* Makes every process blocked on `chan` runnable; returns how many. */
int sched_wake(const void *chan);
/* Makes `p` runnable if it is blocked (a signal arrived for it). */
void sched_wake_process(struct process *p);

/* Lets the other runnable processes run first (sched_yield). */
void sched_yield_cpu(void);

/* The current process is a zombie: run the others; never returns. */
__attribute__((noreturn)) void sched_exit_current(void);

/* The channel pollers wait on: anything whose readiness changes wakes it. */
extern const char sched_readiness_chan;

#endif

/*
 * The scheduler: threads (proc/thread.h) take turns on the CPU. A thread
 * runs until it blocks in a system call (sched_block), exits, or — when the
 * timer device ticks (kernel/tick.h) — its time slice is over while another
 * thread waits to run; the next runnable thread then runs, round-robin.
 * Blocking is always interruptible: a signal wakes the thread, and every
 * caller re-checks its condition in a loop (spurious wake-ups are fine).
 * When nothing can run, the vCPU sleeps in the host until the earliest
 * deadline (platform device), so sleeping never spins.
 *
 * The run queue and the blocked list belong to the CPU (struct runqueue),
 * not to globals, so that several vCPUs can each have theirs.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct thread;

/* How long a thread runs before a tick may give the CPU to another. */
#define SCHED_SLICE_NS 10000000ull

/*
 * Blocks the current thread until sched_wake(chan), a signal, or the
 * monotonic deadline `deadline_ns` (0: none; chan may be NULL for a pure
 * sleep). Returns true when it woke because the deadline passed.
 */
bool sched_block(const void *chan, uint64_t deadline_ns);

/* Sleeps until the monotonic time `deadline_ns`: 0, or -EINTR when a signal
 * came first. */
int sched_sleep_until(uint64_t deadline_ns);

/* Makes every thread blocked on `chan` runnable; returns how many. */
int sched_wake(const void *chan);
/* Makes `t` runnable if it is blocked (a signal arrived for it). */
void sched_wake_thread(struct thread *t);

/* Puts a new thread on the run queue. */
void sched_start(struct thread *t);

/* Lets the other runnable threads run first (sched_yield). */
void sched_yield_cpu(void);

/* The timer tick, from user mode: wakes threads whose deadline passed and
 * gives the CPU away when the slice is over and another thread waits. */
void sched_tick(void);

/* An alarm or another deadline was armed: ticks are wanted from now on. */
void sched_deadline_armed(void);

/* A new thread's first way to user mode (arch/context_switch.S), with the
 * frame it enters with: the scheduler's work after a switch, then signals. */
struct trap_frame;
void sched_first_return(struct trap_frame *tf);

/* The current thread has exited (thread_mark_dead): run the others; never
 * returns. Its stack is freed once the CPU is off it. */
__attribute__((noreturn)) void sched_exit_current(void);

/* The channel pollers wait on: anything whose readiness changes wakes it. */
extern const char sched_readiness_chan;

#endif

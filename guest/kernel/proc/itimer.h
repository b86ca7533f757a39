/*
 * The real-time interval timer of a process (ITIMER_REAL: alarm, setitimer):
 * SIGALRM when it is due, then again every interval. It is checked where the
 * kernel runs anyway: when the scheduler looks at deadlines (on every timer
 * tick while an alarm is armed, and a blocked or idle VM sleeps until the
 * earliest alarm) and on every return to user mode of a process that has
 * one armed. Without the timer device (no ticks), a process that spins in
 * user mode gets its SIGALRM at its next system call.
 */
#ifndef KERNEL_PROC_ITIMER_H
#define KERNEL_PROC_ITIMER_H

#include <stdint.h>

struct process;

/* Arms (value_ns != 0) or disarms the timer; *old_value_ns and
 * *old_interval_ns get what was left of the previous one. */
void itimer_set(struct process *p, uint64_t value_ns, uint64_t interval_ns,
                uint64_t *old_value_ns, uint64_t *old_interval_ns);
/* What is left until the next SIGALRM (0: disarmed) and the interval. */
void itimer_get(const struct process *p, uint64_t *value_ns, uint64_t *interval_ns);

/* Sends SIGALRM if `p`'s timer is due at `now_ns` (and rearms it); returns
 * when it is due next (0: disarmed). */
uint64_t itimer_expire(struct process *p, uint64_t now_ns);

/* itimer_expire for every process; the earliest next alarm (0: none). */
uint64_t itimer_expire_all(uint64_t now_ns);

/* Processes with an armed timer (the scheduler looks only when some are). */
int itimer_armed_count(void);

/* The process ends: its timer goes. */
void itimer_disarm(struct process *p);

#endif

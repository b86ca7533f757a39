/* Time syscalls (see kernel/clock.h for where time comes from). */
#include "kernel/clock.h"
#include "kernel/sched.h"
#include "lib/errno.h"
#include "mm/uaccess.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1
#define NSEC_PER_SEC 1000000000ull

struct timespec64 {
    int64_t sec;
    int64_t nsec;
};

/* Nanoseconds on `clock`, or -EINVAL for a clock we do not have. */
static int64_t clock_now(int32_t clock)
{
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        return (int64_t)clock_realtime_ns();
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
    /* One process that never waits for another: its CPU time is the time since boot. */
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
        return (int64_t)clock_monotonic_ns();
    default:
        return -EINVAL;
    }
}

static struct timespec64 to_timespec(uint64_t ns)
{
    return (struct timespec64){.sec = (int64_t)(ns / NSEC_PER_SEC),
                               .nsec = (int64_t)(ns % NSEC_PER_SEC)};
}

int64_t sys_clock_gettime(struct syscall_call *c)
{
    int64_t now = clock_now(arg_int(c->arg[0]));
    if (now < 0)
        return now;
    struct timespec64 ts = to_timespec((uint64_t)now);
    return copy_to_user(c->arg[1], &ts, sizeof ts);
}

int64_t sys_clock_getres(struct syscall_call *c)
{
    if (clock_now(arg_int(c->arg[0])) < 0)
        return -EINVAL;
    if (c->arg[1] == 0)
        return 0;
    struct timespec64 res = {0, 1};
    return copy_to_user(c->arg[1], &res, sizeof res);
}

int64_t sys_gettimeofday(struct syscall_call *c)
{
    if (c->arg[0] != 0) {
        uint64_t ns = clock_realtime_ns();
        int64_t tv[2] = {(int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC / 1000)};
        int err = copy_to_user(c->arg[0], tv, sizeof tv);
        if (err != 0)
            return err;
    }
    if (c->arg[1] != 0) {
        int32_t tz[2] = {0, 0}; /* UTC, no DST */
        return copy_to_user(c->arg[1], tz, sizeof tz);
    }
    return 0;
}

int64_t sys_time(struct syscall_call *c)
{
    int64_t now = (int64_t)(clock_realtime_ns() / NSEC_PER_SEC);
    if (c->arg[0] != 0) {
        int err = copy_to_user(c->arg[0], &now, sizeof now);
        if (err != 0)
            return err;
    }
    return now;
}

int64_t sys_times(struct syscall_call *c)
{
    /* clock ticks at 100 Hz (AT_CLKTCK) */
    int64_t ticks = (int64_t)(clock_monotonic_ns() / (NSEC_PER_SEC / 100));
    if (c->arg[0] != 0) {
        int64_t tms[4] = {ticks, 0, 0, 0};
        int err = copy_to_user(c->arg[0], tms, sizeof tms);
        if (err != 0)
            return err;
    }
    return ticks;
}

static int read_timespec(uint64_t addr, uint64_t *ns)
{
    struct timespec64 ts;
    int err = copy_from_user(&ts, addr, sizeof ts);
    if (err != 0)
        return err;
    if (ts.sec < 0 || ts.nsec < 0 || (uint64_t)ts.nsec >= NSEC_PER_SEC)
        return -EINVAL;
    if ((uint64_t)ts.sec > (~0ull - NSEC_PER_SEC) / NSEC_PER_SEC)
        *ns = ~0ull; /* forever, for practical purposes */
    else
        *ns = (uint64_t)ts.sec * NSEC_PER_SEC + (uint64_t)ts.nsec;
    return 0;
}

/*
 * Sleeps `ns` without using the CPU (the scheduler runs others, or the vCPU
 * sleeps in the host). Interrupted by a signal: -EINTR, and the time left
 * goes to `urem` when given.
 */
static int64_t sleep_for(uint64_t ns, uint64_t urem)
{
    uint64_t now = clock_monotonic_ns();
    uint64_t deadline = ns > ~0ull - now ? ~0ull : now + ns;
    if (sched_sleep_until(deadline) == 0)
        return 0;
    if (urem != 0) {
        uint64_t after = clock_monotonic_ns();
        struct timespec64 rem = to_timespec(deadline > after ? deadline - after : 0);
        int err = copy_to_user(urem, &rem, sizeof rem);
        if (err != 0)
            return err;
    }
    return -EINTR;
}

int64_t sys_nanosleep(struct syscall_call *c)
{
    uint64_t ns;
    int err = read_timespec(c->arg[0], &ns);
    if (err != 0)
        return err;
    return sleep_for(ns, c->arg[1]);
}

int64_t sys_clock_nanosleep(struct syscall_call *c)
{
    int32_t clock = arg_int(c->arg[0]);
    uint32_t flags = (uint32_t)c->arg[1];
    if (clock == CLOCK_THREAD_CPUTIME_ID)
        return -EINVAL;
    int64_t now = clock_now(clock);
    if (now < 0)
        return -EINVAL;
    uint64_t ns;
    int err = read_timespec(c->arg[2], &ns);
    if (err != 0)
        return err;
    if (flags & TIMER_ABSTIME)
        ns = ns > (uint64_t)now ? ns - (uint64_t)now : 0;
    /* An absolute sleep is simply resumed by a new call: no time left to report. */
    return sleep_for(ns, (flags & TIMER_ABSTIME) ? 0 : c->arg[3]);
}

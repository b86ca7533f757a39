/* Time syscalls (see kernel/clock.h for where time comes from). */
#include "kernel/clock.h"
#include "kernel/log.h"
#include "kernel/sched.h"
#include "lib/errno.h"
#include "mm/uaccess.h"
#include "proc/itimer.h"
#include "proc/process.h"
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
    int64_t ticks = (int64_t)(clock_monotonic_ns() / (NSEC_PER_SEC / USER_HZ));
    if (c->arg[0] != 0) {
        int64_t tms[4] = {ticks, 0, 0, 0};
        int err = copy_to_user(c->arg[0], tms, sizeof tms);
        if (err != 0)
            return err;
    }
    return ticks;
}

int read_timespec(uint64_t addr, uint64_t *ns)
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

/* --- interval timers (proc/itimer.h): ITIMER_REAL only ------------------------------- */

#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2
#define USEC_PER_SEC 1000000ull

struct itimerval64 {
    int64_t interval_sec, interval_usec;
    int64_t value_sec, value_usec;
};

static int64_t itimer_which(int32_t which)
{
    if (which == ITIMER_REAL)
        return 0;
    if (which == ITIMER_VIRTUAL || which == ITIMER_PROF) {
        /* They count CPU time, which the kernel does not account per process. */
        ktrace("setitimer/getitimer: ITIMER_VIRTUAL and ITIMER_PROF are not kept, returning EINVAL");
        return -EINVAL;
    }
    return -EINVAL;
}

static void to_timeval(uint64_t ns, int64_t *sec, int64_t *usec)
{
    /* Round up, as Linux does, so that an armed timer never reads as 0. */
    uint64_t us = (ns + 999) / 1000;
    *sec = (int64_t)(us / USEC_PER_SEC);
    *usec = (int64_t)(us % USEC_PER_SEC);
}

static int64_t put_itimerval(uint64_t uaddr, uint64_t value_ns, uint64_t interval_ns)
{
    struct itimerval64 v;
    to_timeval(interval_ns, &v.interval_sec, &v.interval_usec);
    to_timeval(value_ns, &v.value_sec, &v.value_usec);
    return copy_to_user(uaddr, &v, sizeof v);
}

int64_t sys_getitimer(struct syscall_call *c)
{
    int64_t err = itimer_which(arg_int(c->arg[0]));
    if (err != 0)
        return err;
    uint64_t value, interval;
    itimer_get(c->proc, &value, &interval);
    return put_itimerval(c->arg[1], value, interval);
}

/* A timeval's nanoseconds, or -EINVAL for a negative or unnormalized one. */
static int64_t timeval_ns(int64_t sec, int64_t usec, uint64_t *ns)
{
    if (sec < 0 || usec < 0 || usec >= (int64_t)USEC_PER_SEC)
        return -EINVAL;
    uint64_t max_sec = UINT64_MAX / NSEC_PER_SEC - 1;
    *ns = (uint64_t)sec > max_sec ? UINT64_MAX : (uint64_t)sec * NSEC_PER_SEC + (uint64_t)usec * 1000u;
    return 0;
}

int64_t sys_setitimer(struct syscall_call *c)
{
    int64_t err = itimer_which(arg_int(c->arg[0]));
    if (err != 0)
        return err;
    struct itimerval64 v = {0, 0, 0, 0};
    if (c->arg[1] != 0) { /* NULL: disarm, as Linux still allows */
        err = copy_from_user(&v, c->arg[1], sizeof v);
        if (err != 0)
            return err;
    }
    uint64_t value, interval;
    err = timeval_ns(v.value_sec, v.value_usec, &value);
    if (err == 0)
        err = timeval_ns(v.interval_sec, v.interval_usec, &interval);
    if (err != 0)
        return err;
    uint64_t old_value, old_interval;
    itimer_get(c->proc, &old_value, &old_interval);
    if (c->arg[2] != 0) {
        err = put_itimerval(c->arg[2], old_value, old_interval);
        if (err != 0)
            return err;
    }
    itimer_set(c->proc, value, interval, &old_value, &old_interval);
    return 0;
}

int64_t sys_alarm(struct syscall_call *c)
{
    uint32_t seconds = (uint32_t)c->arg[0];
    uint64_t old_value, old_interval;
    itimer_set(c->proc, (uint64_t)seconds * NSEC_PER_SEC, 0, &old_value, &old_interval);
    /* Seconds left, rounded to the nearest, and 1 rather than 0 while armed. */
    uint64_t left = (old_value + NSEC_PER_SEC / 2) / NSEC_PER_SEC;
    return (int64_t)(old_value != 0 && left == 0 ? 1 : left);
}

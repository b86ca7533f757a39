/*
 * The vDSO: time without entering the kernel. Every process gets this shared
 * object mapped (AT_SYSINFO_EHDR); glibc and musl look up __vdso_clock_gettime
 * & co. in it and call them instead of the system calls. Under PVM a system
 * call costs hundreds of microseconds (the guest kernel is emulated) while
 * user mode runs natively, so reading the TSC here is ~1000x cheaper.
 *
 * Runs in user mode, position-independent, with no relocations: the vvar
 * page (kernel/vvar.h) is reached PC-relative at a fixed offset below the
 * image. What it cannot answer (CPU-time clocks, an anchor older than its
 * validity) goes to the kernel as the real system call, like Linux's vDSO.
 */
#include "kernel/vvar.h"

#define SYS_gettimeofday 96
#define SYS_time 201
#define SYS_clock_gettime 228
#define SYS_clock_getres 229

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7

#define NSEC_PER_SEC 1000000000ull

struct vdso_timespec {
    long tv_sec;
    long tv_nsec;
};

struct vdso_timeval {
    long tv_sec;
    long tv_usec;
};

struct vdso_timezone {
    int tz_minuteswest;
    int tz_dsttime;
};

/* Placed by vdso.lds one page below the ELF header (proc/vdso.c maps it so). */
extern const volatile struct vvar_page vdso_vvar __attribute__((visibility("hidden")));

static long syscall2(long nr, long a, long b)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return ret;
}

/* LFENCE keeps RDTSC from running ahead of the loads before it (the
 * sequence counter), as Linux's rdtsc_ordered does. */
static uint64_t rdtsc_ordered(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

/*
 * A consistent copy of the clock data and a TSC reading taken inside the
 * same sequence window: if the kernel re-anchors in between (it may preempt
 * this code), the copy is taken again.
 */
static uint64_t snapshot(struct vvar_clock *c)
{
    const volatile struct vvar_clock *v = &vdso_vvar.clock;
    uint32_t seq;
    uint64_t tsc;
    do {
        seq = v->seq;
        tsc = rdtsc_ordered();
        c->shift = v->shift;
        c->mult = v->mult;
        c->tsc_base = v->tsc_base;
        c->valid_ns = v->valid_ns;
        c->monotonic_ns = v->monotonic_ns;
        c->monotonic_floor = v->monotonic_floor;
        c->realtime_ns = v->realtime_ns;
        __asm__ volatile("" ::: "memory");
    } while ((seq & 1) || seq != v->seq);
    return tsc;
}

/* The clocks served here; the kernel gives them the same values (sys_time.c). */
static bool is_wall_clock(int clock)
{
    return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE;
}

static bool is_served(int clock)
{
    return is_wall_clock(clock) || clock == CLOCK_MONOTONIC || clock == CLOCK_MONOTONIC_RAW ||
           clock == CLOCK_MONOTONIC_COARSE || clock == CLOCK_BOOTTIME;
}

/* Nanoseconds on a served clock; false when the kernel must answer. */
static bool now_ns(int clock, uint64_t *ns)
{
    struct vvar_clock c;
    uint64_t tsc = snapshot(&c);
    if (!vvar_fresh(&c, tsc))
        return false;
    *ns = is_wall_clock(clock) ? vvar_realtime_ns(&c, tsc) : vvar_monotonic_ns(&c, tsc);
    return true;
}

long __vdso_clock_gettime(int clock, struct vdso_timespec *ts)
{
    uint64_t ns;
    if (!is_served(clock) || !now_ns(clock, &ns))
        return syscall2(SYS_clock_gettime, clock, (long)ts);
    ts->tv_sec = (long)(ns / NSEC_PER_SEC);
    ts->tv_nsec = (long)(ns % NSEC_PER_SEC);
    return 0;
}

long __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
    uint64_t ns = 0;
    if (tv != 0 && !now_ns(CLOCK_REALTIME, &ns))
        return syscall2(SYS_gettimeofday, (long)tv, (long)tz);
    if (tv != 0) {
        tv->tv_sec = (long)(ns / NSEC_PER_SEC);
        tv->tv_usec = (long)(ns % NSEC_PER_SEC / 1000);
    }
    if (tz != 0) {
        tz->tz_minuteswest = 0; /* UTC, no DST, as the kernel says */
        tz->tz_dsttime = 0;
    }
    return 0;
}

long __vdso_time(long *t)
{
    uint64_t ns;
    if (!now_ns(CLOCK_REALTIME, &ns))
        return syscall2(SYS_time, (long)t, 0);
    long sec = (long)(ns / NSEC_PER_SEC);
    if (t != 0)
        *t = sec;
    return sec;
}

long __vdso_clock_getres(int clock, struct vdso_timespec *res)
{
    if (!is_served(clock))
        return syscall2(SYS_clock_getres, clock, (long)res);
    if (res != 0) {
        res->tv_sec = 0;
        res->tv_nsec = 1; /* what the kernel's clock_getres says */
    }
    return 0;
}

/* One vCPU, no NUMA: always CPU 0 on node 0 (what sched_getcpu reports). */
long __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
    (void)unused;
    if (cpu != 0)
        *cpu = 0;
    if (node != 0)
        *node = 0;
    return 0;
}

/* The plain names Linux's vDSO also exports, as weak aliases. */
long clock_gettime(int, struct vdso_timespec *)
    __attribute__((weak, alias("__vdso_clock_gettime")));
long gettimeofday(struct vdso_timeval *, struct vdso_timezone *)
    __attribute__((weak, alias("__vdso_gettimeofday")));
long time(long *) __attribute__((weak, alias("__vdso_time")));
long clock_getres(int, struct vdso_timespec *) __attribute__((weak, alias("__vdso_clock_getres")));
long getcpu(unsigned *, unsigned *, void *) __attribute__((weak, alias("__vdso_getcpu")));

#include "kernel/sched.h"

#include "arch/context_switch.h"
#include "arch/cpu.h"
#include "arch/fpu.h"
#include "arch/percpu.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "mm/mm.h"
#include "proc/itimer.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "lib/errno.h"

/* Longest single host sleep while every process waits for a deadline or for
 * another (a deadlock then hangs like on Linux, without burning the CPU). */
#define IDLE_SLEEP_MAX_NS 1000000000ull

const char sched_readiness_chan;

/* Wakes blocked processes whose deadline passed and sends the SIGALRMs that
 * are due; returns the earliest deadline or alarm still ahead (0: none). */
static uint64_t expire_deadlines(void)
{
    uint64_t now = 0, earliest = 0;
    for (int i = 0; i < PROC_MAX; i++) {
        struct process *p = process_at(i);
        if (p == 0 || p->state == PROC_ZOMBIE)
            continue;
        if (p->alarm_at_ns != 0) {
            if (now == 0)
                now = clock_monotonic_ns();
            uint64_t next = itimer_expire(p, now); /* a SIGALRM wakes a blocked p */
            if (next != 0 && (earliest == 0 || next < earliest))
                earliest = next;
        }
        if (p->state != PROC_BLOCKED || p->wake_at_ns == 0)
            continue;
        if (now == 0)
            now = clock_monotonic_ns();
        if (now >= p->wake_at_ns) {
            p->state = PROC_RUNNABLE;
            p->timed_out = true;
        } else if (earliest == 0 || p->wake_at_ns < earliest) {
            earliest = p->wake_at_ns;
        }
    }
    return earliest;
}

/* The next runnable process after `from` in table order (possibly `from`). */
static struct process *pick_next(struct process *from)
{
    int start = 0;
    for (int i = 0; i < PROC_MAX; i++) {
        if (process_at(i) == from)
            start = i + 1;
    }
    for (int n = 0; n < PROC_MAX; n++) {
        struct process *p = process_at((start + n) % PROC_MAX);
        if (p != 0 && p->state == PROC_RUNNABLE)
            return p;
    }
    return 0;
}

/* Nothing can run: sleep in the host until the earliest deadline. */
static void idle(void)
{
    static bool reported;
    uint64_t earliest = expire_deadlines();
    if (pick_next(0) != 0)
        return;
    uint64_t ns = IDLE_SLEEP_MAX_NS;
    if (earliest != 0) {
        uint64_t now = clock_monotonic_ns();
        ns = earliest > now ? earliest - now : 0;
        if (ns > IDLE_SLEEP_MAX_NS)
            ns = IDLE_SLEEP_MAX_NS;
    } else if (!reported) {
        reported = true;
        ktrace("every process waits for another and none has a deadline: hanging as Linux would");
    }
    platform_sleep(ns);
}

static void switch_to(struct process *prev, struct process *next)
{
    fpu_save(prev->fpu);
    this_cpu()->current = next;
    percpu_set_kernel_stack(next->kstack_top);
    mm_activate(next->mm);
    wrmsr(MSR_FS_BASE, next->fs_base);
    fpu_restore(next->fpu);
    context_switch(&prev->kernel_sp, next->kernel_sp);
}

/* Runs something else until the current process is runnable and picked again. */
static void schedule(void)
{
    struct process *prev = current_process();
    struct process *next;
    expire_deadlines();
    while ((next = pick_next(prev)) == 0)
        idle();
    if (next != prev) {
        switch_to(prev, next);
        process_reap_detached(); /* now off any exited process's stack */
    }
}

bool sched_block(const void *chan, uint64_t deadline_ns)
{
    struct process *p = current_process();
    p->state = PROC_BLOCKED;
    p->wait_chan = chan;
    p->wake_at_ns = deadline_ns;
    p->timed_out = false;
    schedule();
    p->wait_chan = 0;
    p->wake_at_ns = 0;
    return p->timed_out;
}

int sched_sleep_until(uint64_t deadline_ns)
{
    while (clock_monotonic_ns() < deadline_ns) {
        if (signal_pending(current_process()))
            return -EINTR;
        sched_block(0, deadline_ns);
    }
    return 0;
}

int sched_wake(const void *chan)
{
    int woken = 0;
    for (int i = 0; i < PROC_MAX; i++) {
        struct process *p = process_at(i);
        if (p != 0 && p->state == PROC_BLOCKED && p->wait_chan == chan && chan != 0) {
            p->state = PROC_RUNNABLE;
            woken++;
        }
    }
    return woken;
}

void sched_wake_process(struct process *p)
{
    if (p->state == PROC_BLOCKED)
        p->state = PROC_RUNNABLE;
}

void sched_yield_cpu(void)
{
    schedule();
}

void sched_exit_current(void)
{
    KASSERT(current_process()->state == PROC_ZOMBIE);
    schedule();
    panic("a zombie was scheduled");
}

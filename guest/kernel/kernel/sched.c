#include "kernel/sched.h"

#include "arch/context_switch.h"
#include "arch/cpu.h"
#include "arch/ext_state.h"
#include "arch/fpu.h"
#include "arch/percpu.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "kernel/strace_out.h"
#include "kernel/tick.h"
#include "mm/mm.h"
#include "proc/itimer.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/thread.h"
#include "lib/errno.h"

/* Longest single host sleep while every thread waits for a deadline or for
 * another (a deadlock then hangs like on Linux, without burning the CPU). */
#define IDLE_SLEEP_MAX_NS 1000000000ull

const char sched_readiness_chan;

/* A doubly linked list of threads through sched_next/sched_prev. */
struct thread_list {
    struct thread *head, *tail;
};

/* One CPU's threads: those waiting for it (FIFO: round-robin), those
 * blocked, and those that exited but whose stacks may still be in use. */
struct runqueue {
    struct thread_list ready;
    struct thread_list blocked;
    int blocked_with_deadline; /* of `blocked`: those a tick must look at */
    struct thread *dead;       /* through sched_next */
};

static struct runqueue cpu0_runqueue;

static struct runqueue *this_runqueue(void)
{
    return &cpu0_runqueue; /* one vCPU today: this_cpu()->cpu_id picks one later */
}

static void list_append(struct thread_list *l, struct thread *t)
{
    t->sched_next = 0;
    t->sched_prev = l->tail;
    if (l->tail != 0)
        l->tail->sched_next = t;
    else
        l->head = t;
    l->tail = t;
}

static void list_remove(struct thread_list *l, struct thread *t)
{
    if (t->sched_prev != 0)
        t->sched_prev->sched_next = t->sched_next;
    else
        l->head = t->sched_next;
    if (t->sched_next != 0)
        t->sched_next->sched_prev = t->sched_prev;
    else
        l->tail = t->sched_prev;
    t->sched_next = t->sched_prev = 0;
}

static struct thread *list_pop(struct thread_list *l)
{
    struct thread *t = l->head;
    if (t != 0)
        list_remove(l, t);
    return t;
}

/* A blocked thread becomes runnable. */
static void make_runnable(struct runqueue *rq, struct thread *t)
{
    list_remove(&rq->blocked, t);
    if (t->wake_at_ns != 0)
        rq->blocked_with_deadline--;
    t->state = THREAD_RUNNABLE;
    list_append(&rq->ready, t);
}

/* Ticks are needed while a thread waits for the CPU (time slices), or a
 * deadline or alarm must be noticed while a thread computes. */
static void update_tick_request(struct runqueue *rq)
{
    if (!tick_available())
        return;
    tick_request(rq->ready.head != 0 || rq->blocked_with_deadline > 0 ||
                 itimer_armed_count() > 0);
}

/* Wakes blocked threads whose deadline passed and sends the SIGALRMs that
 * are due; returns the earliest deadline or alarm still ahead (0: none). */
static uint64_t expire_deadlines(struct runqueue *rq)
{
    uint64_t now = 0, earliest = 0;
    if (itimer_armed_count() > 0) {
        now = clock_monotonic_ns();
        earliest = itimer_expire_all(now); /* a SIGALRM wakes a blocked thread */
    }
    struct thread *t = rq->blocked_with_deadline > 0 ? rq->blocked.head : 0;
    while (t != 0) {
        struct thread *next = t->sched_next;
        if (t->wake_at_ns != 0) {
            if (now == 0)
                now = clock_monotonic_ns();
            if (now >= t->wake_at_ns) {
                t->timed_out = true;
                make_runnable(rq, t);
            } else if (earliest == 0 || t->wake_at_ns < earliest) {
                earliest = t->wake_at_ns;
            }
        }
        t = next;
    }
    return earliest;
}

/* Nothing can run: sleep in the host until the earliest deadline. */
static void idle(struct runqueue *rq)
{
    static bool reported;
    uint64_t earliest = expire_deadlines(rq);
    if (rq->ready.head != 0)
        return;
    uint64_t ns = IDLE_SLEEP_MAX_NS;
    if (earliest != 0) {
        uint64_t now = clock_monotonic_ns();
        ns = earliest > now ? earliest - now : 0;
        if (ns > IDLE_SLEEP_MAX_NS)
            ns = IDLE_SLEEP_MAX_NS;
    } else if (!reported) {
        reported = true;
        ktrace("every thread waits for another and none has a deadline: hanging as Linux would");
    }
    tick_request(false); /* nothing runs: no tick can be of use */
    if (strace_enabled())
        strace_out_flush(); /* what happened so far, before a wait of unknown length */
    platform_sleep(ns);
}

/* Frees the exited threads whose stacks no CPU is on any more, then the
 * zombies nobody will collect. */
static void reap_dead(struct runqueue *rq)
{
    struct thread **link = &rq->dead;
    while (*link != 0) {
        struct thread *t = *link;
        if (t == current_thread()) {
            link = &t->sched_next;
            continue;
        }
        *link = t->sched_next;
        thread_free(t);
    }
    process_reap_detached();
}

static void switch_to(struct thread *prev, struct thread *next)
{
    fpu_save(prev->fpu);
    /* Only a thread still in its address space has vector state to keep. */
    if (prev->state != THREAD_DEAD && prev->proc->mm != 0)
        ext_state_save(prev->ext_state_pa);
    percpu_set_current(next, next->proc);
    percpu_set_kernel_stack(next->kstack_top);
    /* A process that ended has no mm any more (it loaded the kernel's). */
    if (next->proc->mm != prev->proc->mm)
        mm_activate(next->proc->mm);
    wrmsr(MSR_FS_BASE, next->fs_base);
    fpu_restore(next->fpu);
    context_switch(&prev->kernel_sp, next->kernel_sp);
    /* Back on this thread's stack: its vector state too. */
    if (prev->proc->mm != 0)
        ext_state_restore(prev->ext_state_pa);
}

/* Runs the next ready thread; the current one goes to the back of the
 * queue if it is still runnable. Returns when it is picked again. */
static void schedule(void)
{
    struct runqueue *rq = this_runqueue();
    struct thread *prev = current_thread();
    /* First the current thread, then the deadlines: a thread that blocked
     * with a deadline already past becomes ready there, once. */
    if (prev->state == THREAD_RUNNABLE)
        list_append(&rq->ready, prev);
    expire_deadlines(rq);
    struct thread *next;
    while ((next = list_pop(&rq->ready)) == 0)
        idle(rq);
    next->slice_start_ns = clock_monotonic_ns();
    update_tick_request(rq);
    if (next != prev) {
        switch_to(prev, next);
        reap_dead(rq); /* now off any exited thread's stack */
    }
}

bool sched_block(const void *chan, uint64_t deadline_ns)
{
    struct thread *t = current_thread();
    t->state = THREAD_BLOCKED;
    t->wait_chan = chan;
    t->wake_at_ns = deadline_ns;
    t->timed_out = false;
    struct runqueue *rq = this_runqueue();
    list_append(&rq->blocked, t);
    if (deadline_ns != 0)
        rq->blocked_with_deadline++;
    schedule();
    t->wait_chan = 0;
    t->wake_at_ns = 0;
    return t->timed_out;
}

int sched_sleep_until(uint64_t deadline_ns)
{
    while (clock_monotonic_ns() < deadline_ns) {
        if (signal_pending())
            return -EINTR;
        sched_block(0, deadline_ns);
    }
    return 0;
}

int sched_wake(const void *chan)
{
    if (chan == 0)
        return 0;
    struct runqueue *rq = this_runqueue();
    int woken = 0;
    struct thread *t = rq->blocked.head;
    while (t != 0) {
        struct thread *next = t->sched_next;
        if (t->wait_chan == chan) {
            make_runnable(rq, t);
            woken++;
        }
        t = next;
    }
    if (woken > 0)
        update_tick_request(rq);
    return woken;
}

void sched_wake_thread(struct thread *t)
{
    if (t->state != THREAD_BLOCKED)
        return;
    struct runqueue *rq = this_runqueue();
    make_runnable(rq, t);
    update_tick_request(rq);
}

void sched_start(struct thread *t)
{
    struct runqueue *rq = this_runqueue();
    t->state = THREAD_RUNNABLE;
    list_append(&rq->ready, t);
    update_tick_request(rq);
}

void sched_first_return(struct trap_frame *tf)
{
    reap_dead(this_runqueue());
    ext_state_restore(current_thread()->ext_state_pa);
    signal_return_from_trap(tf);
}

void sched_yield_cpu(void)
{
    schedule();
}

void sched_tick(void)
{
    struct runqueue *rq = this_runqueue();
    expire_deadlines(rq);
    struct thread *t = current_thread();
    if (rq->ready.head != 0 && clock_monotonic_ns() - t->slice_start_ns >= SCHED_SLICE_NS)
        schedule();
    else
        update_tick_request(rq);
}

void sched_deadline_armed(void)
{
    update_tick_request(this_runqueue());
}

void sched_exit_current(void)
{
    struct runqueue *rq = this_runqueue();
    struct thread *t = current_thread();
    KASSERT(t->state == THREAD_DEAD);
    t->sched_next = rq->dead;
    rq->dead = t;
    schedule();
    panic("an exited thread was scheduled");
}

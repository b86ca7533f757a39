#include "proc/signal.h"

#include "arch/percpu.h"
#include "arch/trap_frame.h"
#include "kernel/clock.h"
#include "kernel/sched.h"
#include "kernel/strace_out.h"
#include "lib/errno.h"
#include "proc/crash_report.h"
#include "proc/itimer.h"
#include "proc/process.h"
#include "proc/thread.h"
#include "proc/signal_frame.h"
#include "sys/syscall.h"

/* The SYSCALL instruction, to step back over for a restart. */
#define SYSCALL_INSN_LEN 2

bool signal_default_ignores(int signo)
{
    switch (signo) {
    case SIGCHLD:
    case SIGCONT:
    case SIGURG:
    case SIGWINCH:
    /* stop signals: no job control, so nothing would ever continue the process */
    case SIGSTOP:
    case SIGTSTP:
    case SIGTTIN:
    case SIGTTOU:
        return true;
    default:
        return false;
    }
}

static bool ignored(const struct process *p, int signo)
{
    uint64_t handler = p->sigactions[signo - 1].handler;
    if (signo == SIGKILL)
        return false;
    return handler == SIG_IGN || (handler == SIG_DFL && signal_default_ignores(signo));
}

static bool blocks(const struct thread *t, int signo)
{
    return (t->sigmask & sig_bit(signo)) && !(SIG_UNBLOCKABLE & sig_bit(signo));
}

/* --strace: "--- SIGX {...} ---" for `tid`. An ignored signal is dropped at
 * once here, where Linux would queue it for a traced task and strace would
 * show it: it is shown as it is dropped. */
static void strace_signal(int32_t tid, int signo, const struct pending_info *info)
{
    if (strace_enabled() && signo != SIGKILL) {
        const struct pending_info kernel = {.code = SI_KERNEL};
        strace_signal_line(tid, thread_count() > 1, signo, info != 0 ? info : &kernel);
    }
}

/* The action for `signo` ends the whole process. */
static bool kills_process(const struct process *p, int signo)
{
    return signo == SIGKILL ||
           (p->sigactions[signo - 1].handler == SIG_DFL && !signal_default_ignores(signo));
}

/* Marks `signo` pending with its info. A standard signal that is pending
 * already is not queued again and keeps the first one's info, as in Linux:
 * two children that exit before their parent runs give one SIGCHLD, the
 * first's. (Real-time signals have one slot each here: the newest info.) */
static void record_pending(uint64_t *pending, struct pending_info *infos, int signo,
                           const struct pending_info *info)
{
    if (signo < SIGRTMIN && (*pending & sig_bit(signo)))
        return;
    *pending |= sig_bit(signo);
    infos[signo - 1] = info != 0 ? *info : (struct pending_info){.code = SI_KERNEL};
}

void signal_send(struct process *p, int signo, const struct pending_info *info)
{
    if (p->state == PROC_ZOMBIE || p->group_exiting)
        return;
    /* A blocked signal stays pending even if ignored now: the disposition
     * may change before it is unblocked. */
    struct thread *taker = 0;
    bool all_block = true;
    for (struct thread *t = p->threads; t != 0; t = t->next_in_group) {
        if (t->state == THREAD_DEAD)
            continue;
        if (!blocks(t, signo)) {
            all_block = false;
            /* Prefer one that sleeps: the running one sees it anyway. */
            if (taker == 0 || t->state == THREAD_BLOCKED)
                taker = t;
        }
    }
    if (ignored(p, signo) && !all_block) {
        strace_signal(taker != 0 ? taker->tid : p->pid, signo, info);
        return;
    }
    record_pending(&p->sig_pending, p->sig_info, signo, info);
    signal_flag_return_work(p);
    if (taker != 0)
        sched_wake_thread(taker);
}

void signal_send_thread(struct thread *t, int signo, const struct pending_info *info)
{
    struct process *p = t->proc;
    if (t->state == THREAD_DEAD || p->state == PROC_ZOMBIE || p->group_exiting)
        return;
    if (ignored(p, signo) && !blocks(t, signo)) {
        strace_signal(t->tid, signo, info);
        return;
    }
    record_pending(&t->sig_pending, t->sig_info, signo, info);
    t->return_work = true;
    if (!blocks(t, signo))
        sched_wake_thread(t);
}

void signal_fault(struct trap_frame *tf, int signo, int32_t code, uint64_t addr)
{
    struct thread *t = current_thread();
    struct process *p = t->proc;
    uint64_t handler = p->sigactions[signo - 1].handler;
    const struct pending_info info = {.code = code, .addr = addr};
    if (handler == SIG_DFL || handler == SIG_IGN || blocks(t, signo)) {
        strace_signal(t->tid, signo, &info);
        crash_report_and_die(p, tf, signo, &info);
    }
    t->sig_pending |= sig_bit(signo);
    t->sig_info[signo - 1] = info;
    t->return_work = true;
}

static uint64_t deliverable(const struct thread *t)
{
    return (t->sig_pending | t->proc->sig_pending) & ~(t->sigmask & ~SIG_UNBLOCKABLE);
}

bool signal_pending(void)
{
    const struct thread *t = current_thread();
    return deliverable(t) != 0 || thread_must_exit(t);
}

bool signal_fatal_pending(void)
{
    const struct thread *t = current_thread();
    if (thread_must_exit(t))
        return true;
    uint64_t ready = deliverable(t);
    while (ready != 0) {
        int signo = __builtin_ctzll(ready) + 1;
        ready &= ready - 1;
        if (kills_process(t->proc, signo))
            return true;
    }
    return false;
}

/* What an interrupted syscall returns once a handler will run. */
static void interrupted_for_handler(struct trap_frame *tf, uint64_t nr, uint64_t sa_flags)
{
    if (nr == SYSCALL_NR_NONE)
        return;
    int64_t r = (int64_t)tf->rax;
    if (r == -ERESTARTSYS && (sa_flags & SA_RESTART)) {
        tf->rax = nr;
        tf->rip -= SYSCALL_INSN_LEN;
    } else if (r == -ERESTARTSYS || r == -ERESTARTNOHAND) {
        tf->rax = (uint64_t)-EINTR;
    }
}

/* Takes the lowest deliverable signal off the thread's or the process's
 * pending set (thread-directed first, as Linux does); its info in *info. */
static int dequeue_signal(struct thread *t, uint64_t ready, struct pending_info *info)
{
    uint64_t own = ready & t->sig_pending;
    int signo = __builtin_ctzll(own != 0 ? own : ready) + 1;
    if (own != 0) {
        t->sig_pending &= ~sig_bit(signo);
        *info = t->sig_info[signo - 1];
    } else {
        t->proc->sig_pending &= ~sig_bit(signo);
        *info = t->proc->sig_info[signo - 1];
    }
    return signo;
}

void signal_mask_until_return(struct thread *t, uint64_t mask)
{
    t->saved_sigmask = t->sigmask;
    t->restore_sigmask = true;
    t->return_work = true;
    t->sigmask = mask & ~SIG_UNBLOCKABLE;
}

void signal_return_from_trap(struct trap_frame *tf)
{
    /* The same one-byte test as the system-call fast path's: a page fault
     * or a tick with nothing pending costs no look at the signal state. */
    if (current_thread()->return_work)
        signal_return_to_user(tf, SYSCALL_NR_NONE);
}

int signal_dequeue(struct thread *t, uint64_t set, struct pending_info *info)
{
    uint64_t ready = (t->sig_pending | t->proc->sig_pending) & set;
    return ready != 0 ? dequeue_signal(t, ready, info) : 0;
}

void signal_flag_return_work(struct process *p)
{
    for (struct thread *t = p->threads; t != 0; t = t->next_in_group)
        t->return_work = true;
}

/* What keeps a thread's return_work set: anything signal_return_to_user acts on
 * (a pending signal counts even while blocked: sigprocmask then needs no
 * hook of its own). */
static bool return_work_left(const struct thread *t)
{
    const struct process *p = t->proc;
    return (t->sig_pending | p->sig_pending) != 0 || p->group_exiting || p->alarm_at_ns != 0 ||
           t->restore_sigmask;
}

static void return_to_user(struct trap_frame *tf, uint64_t nr);

void signal_return_to_user(struct trap_frame *tf, uint64_t nr)
{
    return_to_user(tf, nr);
    struct thread *t = current_thread();
    t->return_work = return_work_left(t);
}

static void return_to_user(struct trap_frame *tf, uint64_t nr)
{
    struct thread *t = current_thread();
    struct process *p = t->proc;
    if (thread_must_exit(t))
        thread_exit_for_group(t);
    if (p->alarm_at_ns != 0) /* one predictable branch for everyone else */
        itimer_expire(p, clock_monotonic_ns());
    uint64_t ready;
    while ((ready = deliverable(t)) != 0) {
        struct pending_info info;
        int signo = dequeue_signal(t, ready, &info);
        strace_signal(t->tid, signo, &info);
        struct k_sigaction *a = &p->sigactions[signo - 1];
        if (signo != SIGKILL && a->handler == SIG_IGN)
            continue;
        if (signo == SIGKILL || a->handler == SIG_DFL) {
            if (signo != SIGKILL && signal_default_ignores(signo))
                continue;
            crash_report_and_die(p, tf, signo, &info);
        }
        interrupted_for_handler(tf, nr, a->flags);
        if (signal_frame_push(t, tf, signo, &info) == 0)
            return; /* one handler at a time: the rest after its sigreturn */
        /* No room for the frame (say, a read-only alternate stack): SIGSEGV,
         * which its own handler may take, as Linux's force_sigsegv; a
         * SIGSEGV that cannot be delivered ends the process. */
        if (signo == SIGSEGV)
            process_die_by_signal(p, SIGSEGV, tf->rip, 0);
        signal_fault(tf, SIGSEGV, SI_KERNEL, 0);
    }
    if (t->restore_sigmask) {
        t->sigmask = t->saved_sigmask;
        t->restore_sigmask = false;
    }
    /* Nothing ran in user mode: an interrupted syscall simply restarts. */
    int64_t r = (int64_t)tf->rax;
    if (nr != SYSCALL_NR_NONE && (r == -ERESTARTSYS || r == -ERESTARTNOHAND)) {
        tf->rax = nr;
        tf->rip -= SYSCALL_INSN_LEN;
    }
}

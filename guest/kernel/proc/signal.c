#include "proc/signal.h"

#include "arch/percpu.h"
#include "arch/trap_frame.h"
#include "kernel/clock.h"
#include "kernel/sched.h"
#include "lib/errno.h"
#include "proc/itimer.h"
#include "proc/process.h"
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

void signal_send(struct process *p, int signo, const struct pending_info *info)
{
    if (p->state == PROC_ZOMBIE)
        return;
    /* A blocked signal stays pending even if ignored now: the disposition
     * may change before it is unblocked. */
    if (ignored(p, signo) && !(p->sigmask & sig_bit(signo)))
        return;
    p->sig_pending |= sig_bit(signo);
    p->sig_info[signo - 1] = info != 0 ? *info : (struct pending_info){.code = SI_KERNEL};
    if (!(p->sigmask & sig_bit(signo)) || signo == SIGKILL)
        sched_wake_process(p);
}

static uint64_t deliverable(const struct process *p)
{
    return p->sig_pending & ~(p->sigmask & ~SIG_UNBLOCKABLE);
}

bool signal_pending(const struct process *p)
{
    return deliverable(p) != 0;
}

bool signal_fatal_pending(const struct process *p)
{
    uint64_t ready = deliverable(p);
    while (ready != 0) {
        int signo = __builtin_ctzll(ready) + 1;
        ready &= ready - 1;
        if (signo == SIGKILL ||
            (p->sigactions[signo - 1].handler == SIG_DFL && !signal_default_ignores(signo)))
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

void signal_return_to_user(struct trap_frame *tf, uint64_t nr)
{
    struct process *p = current_process();
    if (p->alarm_at_ns != 0) /* one predictable branch for everyone else */
        itimer_expire(p, clock_monotonic_ns());
    uint64_t ready;
    while ((ready = deliverable(p)) != 0) {
        int signo = __builtin_ctzll(ready) + 1;
        p->sig_pending &= ~sig_bit(signo);
        struct k_sigaction *a = &p->sigactions[signo - 1];
        if (signo != SIGKILL && a->handler == SIG_IGN)
            continue;
        if (signo == SIGKILL || a->handler == SIG_DFL) {
            if (signo != SIGKILL && signal_default_ignores(signo))
                continue;
            process_die_by_signal(p, signo, tf->rip, 0);
        }
        interrupted_for_handler(tf, nr, a->flags);
        if (signal_frame_push(p, tf, signo, &p->sig_info[signo - 1]) != 0)
            process_die_by_signal(p, SIGSEGV, tf->rip, 0); /* no room for the frame */
        return; /* one handler at a time: the rest after its sigreturn */
    }
    if (p->restore_sigmask) {
        p->sigmask = p->saved_sigmask;
        p->restore_sigmask = false;
    }
    /* Nothing ran in user mode: an interrupted syscall simply restarts. */
    int64_t r = (int64_t)tf->rax;
    if (nr != SYSCALL_NR_NONE && (r == -ERESTARTSYS || r == -ERESTARTNOHAND)) {
        tf->rax = nr;
        tf->rip -= SYSCALL_INSN_LEN;
    }
}

/*
 * Signal syscalls: dispositions, the blocked mask, sending (kill & co.),
 * rt_sigreturn, and waiting for a signal (pause, rt_sigsuspend). Delivery is
 * proc/signal.c, on the way back to user mode.
 */
#include "arch/percpu.h"
#include "arch/trap_frame.h"
#include "kernel/clock.h"
#include "kernel/sched.h"
#include "lib/errno.h"
#include "mm/uaccess.h"
#include "proc/process.h"
#include "proc/thread.h"
#include "proc/signal.h"
#include "proc/signal_frame.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

int64_t sys_rt_sigaction(struct syscall_call *c)
{
    int32_t signo = arg_int(c->arg[0]);
    uint64_t act = c->arg[1], oldact = c->arg[2];
    if (c->arg[3] != sizeof(uint64_t))
        return -EINVAL;
    if (signo < 1 || signo > NSIG)
        return -EINVAL;
    struct process *p = c->proc;
    struct k_sigaction *slot = &p->sigactions[signo - 1];
    struct k_sigaction next;
    if (act != 0) {
        int err = copy_from_user(&next, act, sizeof next);
        if (err != 0)
            return err;
    }
    if (act != 0 && (signo == SIGKILL || signo == SIGSTOP))
        return -EINVAL;
    if (oldact != 0) {
        int err = copy_to_user(oldact, slot, sizeof *slot);
        if (err != 0)
            return err;
    }
    if (act != 0) {
        next.mask &= ~SIG_UNBLOCKABLE;
        *slot = next;
        p->sigactions_set |= sig_bit(signo);
        /* Setting a signal to be ignored discards it if pending (POSIX). */
        if (next.handler == SIG_IGN || (next.handler == SIG_DFL && signal_default_ignores(signo))) {
            p->sig_pending &= ~sig_bit(signo);
            for (struct thread *t = p->threads; t != 0; t = t->next_in_group)
                t->sig_pending &= ~sig_bit(signo);
        }
    }
    return 0;
}

int64_t sys_rt_sigprocmask(struct syscall_call *c)
{
    int32_t how = arg_int(c->arg[0]);
    uint64_t set_addr = c->arg[1], old_addr = c->arg[2];
    if (c->arg[3] != sizeof(uint64_t))
        return -EINVAL;
    struct thread *t = c->thread;
    uint64_t set = 0;
    if (set_addr != 0) {
        if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
            return -EINVAL;
        int err = copy_from_user(&set, set_addr, sizeof set);
        if (err != 0)
            return err;
    }
    if (old_addr != 0) {
        int err = copy_to_user(old_addr, &t->sigmask, sizeof t->sigmask);
        if (err != 0)
            return err;
    }
    if (set_addr != 0) {
        if (how == SIG_BLOCK)
            t->sigmask |= set;
        else if (how == SIG_UNBLOCK)
            t->sigmask &= ~set;
        else
            t->sigmask = set;
        t->sigmask &= ~SIG_UNBLOCKABLE;
    }
    return 0; /* signals it unblocked are delivered on the way out */
}

int64_t sys_rt_sigpending(struct syscall_call *c)
{
    if (c->arg[1] > sizeof(uint64_t))
        return -EINVAL;
    const struct thread *t = c->thread;
    uint64_t pending = (t->sig_pending | c->proc->sig_pending) & t->sigmask;
    return copy_to_user(c->arg[0], &pending, c->arg[1]);
}

int64_t sys_rt_sigreturn(struct syscall_call *c)
{
    if (signal_frame_pop(c->thread, c->frame) != 0)
        process_die_by_signal(c->proc, SIGSEGV, c->frame->rip, 0);
    c->nr = SYSCALL_NR_NONE; /* the restored RAX is no syscall result to restart */
    return (int64_t)c->frame->rax;
}

/* The smallest alternate stack Linux accepts (MINSIGSTKSZ on x86-64). */
#define MINSIGSTKSZ 2048

int64_t sys_sigaltstack(struct syscall_call *c)
{
    struct thread *t = c->thread;
    uint64_t new_addr = c->arg[0], old_addr = c->arg[1];
    bool on_stack = signal_on_altstack(t, c->frame->rsp);
    struct signal_stack next;
    if (new_addr != 0) {
        int err = copy_from_user(&next, new_addr, sizeof next);
        if (err != 0)
            return err;
    }
    if (old_addr != 0) {
        struct signal_stack old = signal_altstack_report(t, c->frame->rsp);
        int err = copy_to_user(old_addr, &old, sizeof old);
        if (err != 0)
            return err;
    }
    if (new_addr == 0)
        return 0;
    if (on_stack)
        return -EPERM; /* not while a handler runs on it */
    uint32_t mode = (uint32_t)next.flags & ~SS_AUTODISARM;
    if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
        return -EINVAL;
    if (mode == SS_DISABLE) {
        t->altstack = (struct signal_stack){.flags = SS_DISABLE};
        return 0;
    }
    if (next.size < MINSIGSTKSZ)
        return -ENOMEM;
    t->altstack = (struct signal_stack){
        .sp = next.sp, .size = next.size, .flags = (int32_t)((uint32_t)next.flags & SS_AUTODISARM)};
    return 0;
}

/* Waits until a handler has run (the syscall then fails with EINTR). */
static int64_t wait_for_signal(void)
{
    while (!signal_pending())
        sched_block(0, 0);
    return -ERESTARTNOHAND;
}

int64_t sys_pause(struct syscall_call *c)
{
    (void)c;
    return wait_for_signal();
}

int64_t sys_rt_sigsuspend(struct syscall_call *c)
{
    if (c->arg[1] != sizeof(uint64_t))
        return -EINVAL;
    uint64_t mask;
    int err = copy_from_user(&mask, c->arg[0], sizeof mask);
    if (err != 0)
        return err;
    /* Waits under the temporary mask; the handler's frame then records the
     * old one, so its sigreturn restores it (proc/signal.c). */
    signal_mask_until_return(c->thread, mask);
    return wait_for_signal();
}

/* sigwait & co.: takes a signal of the set without running a handler. The
 * set is unblocked while the thread waits (as Linux does), so a signal sent
 * to the process picks this thread. -EAGAIN at the timeout. */
int64_t sys_rt_sigtimedwait(struct syscall_call *c)
{
    if (c->arg[3] != sizeof(uint64_t))
        return -EINVAL;
    uint64_t set;
    int err = copy_from_user(&set, c->arg[0], sizeof set);
    if (err != 0)
        return err;
    set &= ~SIG_UNBLOCKABLE;
    uint64_t deadline = 0;
    if (c->arg[2] != 0) {
        uint64_t ns;
        err = read_timespec(c->arg[2], &ns);
        if (err != 0)
            return err;
        uint64_t now = clock_monotonic_ns();
        deadline = now + ns < now ? UINT64_MAX : now + ns;
    }
    struct thread *t = c->thread;
    for (;;) {
        struct pending_info info;
        int signo = signal_dequeue(t, set, &info);
        if (signo != 0) {
            if (c->arg[1] != 0) {
                uint8_t si[128];
                signal_siginfo_fill(si, signo, &info);
                err = copy_to_user(c->arg[1], si, sizeof si);
                if (err != 0)
                    return err;
            }
            return signo;
        }
        if (c->arg[2] != 0 && clock_monotonic_ns() >= deadline)
            return -EAGAIN;
        if (signal_pending())
            return -EINTR; /* another signal: its handler runs */
        uint64_t blocked = t->sigmask;
        t->sigmask &= ~set;
        sched_block(0, deadline);
        t->sigmask = blocked;
    }
}

/* --- sending ------------------------------------------------------------------ */

static bool valid_signo(int32_t signo)
{
    return signo >= 0 && signo <= NSIG;
}

/* Sends to one process; signo 0 only checks that it exists. `code`: SI_USER
 * for kill, SI_TKILL for tkill/tgkill. */
static void send_one(struct syscall_call *c, struct process *target, int32_t signo, int32_t code)
{
    if (signo == 0 || target->state == PROC_ZOMBIE)
        return;
    struct pending_info info = {.code = code, .pid = c->proc->pid};
    signal_send(target, signo, &info);
}

int64_t sys_kill(struct syscall_call *c)
{
    int32_t pid = arg_int(c->arg[0]), signo = arg_int(c->arg[1]);
    if (!valid_signo(signo))
        return -EINVAL;
    if (pid == INIT_PID)
        return -EPERM; /* init is root's */
    if (pid > 0) {
        struct process *t = process_find(pid);
        if (t == 0) {
            /* Another thread's id names its whole process, as on Linux. */
            struct thread *th = thread_find(pid);
            t = th != 0 ? th->proc : 0;
        }
        if (t == 0)
            return -ESRCH;
        send_one(c, t, signo, SI_USER);
        return 0;
    }
    if (pid == INT32_MIN)
        return -ESRCH; /* no group -INT32_MIN, as on Linux */
    /* 0: the caller's group; -N: group N; -1: everyone but init (never in
     * the table) and the caller itself. */
    int32_t group = pid == 0 ? c->proc->pgid : -pid;
    bool found = false;
    for (int i = 0; i < process_table_end(); i++) {
        struct process *t = process_at(i);
        if (t == 0 || t->state == PROC_ZOMBIE)
            continue;
        if (pid == -1 ? t == c->proc : t->pgid != group)
            continue;
        found = true;
        send_one(c, t, signo, SI_USER);
    }
    return found ? 0 : -ESRCH;
}

/* Sends to one thread (tkill, tgkill); signo 0 only checks that it exists. */
static void send_to_thread(struct syscall_call *c, struct thread *target, int32_t signo)
{
    if (signo == 0)
        return;
    struct pending_info info = {.code = SI_TKILL, .pid = c->proc->pid};
    signal_send_thread(target, signo, &info);
}

int64_t sys_tkill(struct syscall_call *c)
{
    int32_t tid = arg_int(c->arg[0]), signo = arg_int(c->arg[1]);
    if (!valid_signo(signo) || tid <= 0)
        return -EINVAL;
    struct thread *t = thread_find(tid);
    if (t == 0)
        return -ESRCH;
    send_to_thread(c, t, signo);
    return 0;
}

int64_t sys_tgkill(struct syscall_call *c)
{
    int32_t tgid = arg_int(c->arg[0]), tid = arg_int(c->arg[1]), signo = arg_int(c->arg[2]);
    if (!valid_signo(signo) || tgid <= 0 || tid <= 0)
        return -EINVAL;
    struct process *p = process_find(tgid);
    struct thread *t = p != 0 ? thread_in_process(p, tid) : 0;
    if (t == 0)
        return -ESRCH;
    send_to_thread(c, t, signo);
    return 0;
}

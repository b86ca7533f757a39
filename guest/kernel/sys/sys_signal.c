/*
 * Signals: dispositions and the mask are kept (bookkeeping), so libc's
 * start-up and sigaction users work. Signals are not delivered to handlers
 * yet: a signal a program sends itself takes its default action (ignore or
 * terminate), and a fault ends the program (kernel/trap.c).
 */
#include "arch/trap_frame.h"
#include "lib/errno.h"
#include "mm/uaccess.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define SIG_DFL 0
#define SIG_IGN 1
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SIGURG 23
#define SIGWINCH 28

static uint64_t sigbit(int signo)
{
    return 1ull << (signo - 1);
}

static const uint64_t unblockable = (1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1));

int64_t sys_rt_sigaction(struct syscall_call *c)
{
    int32_t signo = arg_int(c->arg[0]);
    uint64_t act = c->arg[1], oldact = c->arg[2];
    if (c->arg[3] != sizeof(uint64_t))
        return -EINVAL;
    if (signo < 1 || signo > NSIG)
        return -EINVAL;
    if (act != 0 && (signo == SIGKILL || signo == SIGSTOP))
        return -EINVAL;
    struct k_sigaction *slot = &c->proc->sigactions[signo - 1];
    struct k_sigaction next;
    if (act != 0) {
        int err = copy_from_user(&next, act, sizeof next);
        if (err != 0)
            return err;
    }
    if (oldact != 0) {
        int err = copy_to_user(oldact, slot, sizeof *slot);
        if (err != 0)
            return err;
    }
    if (act != 0) {
        next.mask &= ~unblockable;
        *slot = next;
    }
    return 0;
}

int64_t sys_rt_sigprocmask(struct syscall_call *c)
{
    int32_t how = arg_int(c->arg[0]);
    uint64_t set_addr = c->arg[1], old_addr = c->arg[2];
    if (c->arg[3] != sizeof(uint64_t))
        return -EINVAL;
    struct process *p = c->proc;
    uint64_t set = 0;
    if (set_addr != 0) {
        if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
            return -EINVAL;
        int err = copy_from_user(&set, set_addr, sizeof set);
        if (err != 0)
            return err;
    }
    if (old_addr != 0) {
        int err = copy_to_user(old_addr, &p->sigmask, sizeof p->sigmask);
        if (err != 0)
            return err;
    }
    if (set_addr != 0) {
        if (how == SIG_BLOCK)
            p->sigmask |= set;
        else if (how == SIG_UNBLOCK)
            p->sigmask &= ~set;
        else
            p->sigmask = set;
        p->sigmask &= ~unblockable;
    }
    return 0;
}

int64_t sys_rt_sigreturn(struct syscall_call *c)
{
    /* No handler was ever entered, so there is no signal frame to return
     * from: the program is confused, as Linux would find too. */
    process_die_by_signal(c->proc, SIGSEGV, c->frame->rip, 0);
}

int64_t sys_sigaltstack(struct syscall_call *c)
{
    /* Accepted and reported as disabled: handlers never run on it yet. */
    uint64_t old = c->arg[1];
    if (old != 0) {
        struct {
            uint64_t sp;
            int32_t flags;
            int32_t pad;
            uint64_t size;
        } disabled = {0, 2 /* SS_DISABLE */, 0, 0};
        return copy_to_user(old, &disabled, sizeof disabled);
    }
    return 0;
}

static bool ignored_by_default(int signo)
{
    return signo == SIGCHLD || signo == SIGCONT || signo == SIGURG || signo == SIGWINCH;
}

/* A signal the process sends itself. */
static int64_t signal_self(struct syscall_call *c, int32_t signo)
{
    if (signo == 0)
        return 0; /* existence check */
    if (signo < 0 || signo > NSIG)
        return -EINVAL;
    const struct k_sigaction *a = &c->proc->sigactions[signo - 1];
    if (signo != SIGKILL && signo != SIGSTOP) {
        if (a->handler == SIG_IGN || (a->handler == SIG_DFL && ignored_by_default(signo)))
            return 0;
        if (c->proc->sigmask & sigbit(signo))
            return 0; /* blocked: would stay pending; nothing delivers it later */
    }
    /* Default action (or a handler we cannot run yet): terminate. */
    process_die_by_signal(c->proc, signo, c->frame->rip, 0);
}

int64_t sys_kill(struct syscall_call *c)
{
    int32_t pid = arg_int(c->arg[0]);
    if (pid != c->proc->pid && pid != 0 && pid != -1)
        return -ESRCH;
    return signal_self(c, arg_int(c->arg[1]));
}

int64_t sys_tkill(struct syscall_call *c)
{
    if (arg_int(c->arg[0]) != c->proc->pid)
        return -ESRCH;
    return signal_self(c, arg_int(c->arg[1]));
}

int64_t sys_tgkill(struct syscall_call *c)
{
    if (arg_int(c->arg[0]) != c->proc->pid || arg_int(c->arg[1]) != c->proc->pid)
        return -ESRCH;
    return signal_self(c, arg_int(c->arg[2]));
}

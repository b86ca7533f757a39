/*
 * Linux signal numbers (x86-64) and signal generation and delivery. A signal
 * sent to a process becomes pending (unless ignored); it is acted on when the
 * process returns to user mode: a handler runs on a signal frame
 * (proc/signal_frame.c), or the default action ignores it or ends the process.
 * Stop signals are ignored: there is no job control.
 */
#ifndef KERNEL_PROC_SIGNAL_H
#define KERNEL_PROC_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGWINCH 28

#define SIG_DFL 0
#define SIG_IGN 1

/* sigaction flags */
#define SA_NOCLDSTOP 0x00000001u
#define SA_NOCLDWAIT 0x00000002u
#define SA_SIGINFO 0x00000004u
#define SA_RESTORER 0x04000000u
#define SA_ONSTACK 0x08000000u
#define SA_RESTART 0x10000000u
#define SA_NODEFER 0x40000000u
#define SA_RESETHAND 0x80000000u

/* si_code values */
#define SI_USER 0
#define SI_TKILL (-6)
#define SI_KERNEL 0x80
#define CLD_EXITED 1
#define CLD_KILLED 2

/*
 * Kernel-internal results of a blocking syscall cut short by a signal; they
 * never reach user space (signal_return_to_user turns them into a restart or
 * -EINTR). ERESTARTSYS restarts when no handler runs or the handler has
 * SA_RESTART; ERESTARTNOHAND only when no handler runs.
 */
#define ERESTARTSYS 512
#define ERESTARTNOHAND 514

struct process;
struct pending_info;
struct trap_frame;

static inline uint64_t sig_bit(int signo)
{
    return 1ull << (signo - 1);
}

#define SIG_UNBLOCKABLE (sig_bit(SIGKILL) | sig_bit(SIGSTOP))

/* The action for `signo` under SIG_DFL ignores it. */
bool signal_default_ignores(int signo);

/*
 * Generates signal `signo` (1..64) for `p`: dropped when p ignores it (and
 * does not block it), else pending, and p is woken if blocked. `info` (may be
 * NULL: SI_KERNEL) is what a SA_SIGINFO handler sees.
 */
void signal_send(struct process *p, int signo, const struct pending_info *info);

/* A pending signal that is not blocked: blocking syscalls stop for it. */
bool signal_pending(const struct process *p);

/* A pending signal that will end the process when acted on (SIGKILL, or an
 * unblocked one whose default action terminates): the waits that other
 * signals do not interrupt (vfork's) still stop for it, as on Linux. */
bool signal_fatal_pending(const struct process *p);

/*
 * On the way back to user mode from syscall `nr` (SYSCALL_NR_NONE when the
 * frame is not a syscall return) with its result in tf->rax: acts on pending
 * signals (handler frame, or default action, which may end the process) and
 * turns -ERESTART* into a restart or -EINTR.
 */
void signal_return_to_user(struct trap_frame *tf, uint64_t nr);

#endif

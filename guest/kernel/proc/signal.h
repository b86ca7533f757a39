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
/* The first real-time signal: the kernel's number (glibc reserves 32 and 33). */
#define SIGRTMIN 32

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
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRERR 2
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
struct thread;
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
 * Generates signal `signo` (1..64) for process `p` (kill): dropped when p
 * ignores it (and no thread blocks it), else pending for the process, and a
 * thread that does not block it is woken. `info` (may be NULL: SI_KERNEL)
 * is what a SA_SIGINFO handler sees.
 */
void signal_send(struct process *p, int signo, const struct pending_info *info);
/* The same for one thread (tgkill, SIGPIPE, faults): only `t` acts on it. */
void signal_send_thread(struct thread *t, int signo, const struct pending_info *info);

/* The current thread has a pending signal it does not block, or its process
 * is ending: blocking syscalls stop for it. */
bool signal_pending(void);

/* A pending signal that will end the current thread's process when acted on
 * (SIGKILL, or an unblocked one whose default action terminates), or the
 * process is ending: the waits that other signals do not interrupt (vfork's)
 * still stop for it, as on Linux. */
bool signal_fatal_pending(void);

/*
 * A fault of the current thread in user mode raises `signo` (code, addr:
 * its siginfo): with a handler that the thread does not block, the signal
 * is queued for the thread, and the way back to user mode runs the handler;
 * otherwise (default action, ignored or blocked: Linux's force_sig) the
 * process dies of it.
 */
void signal_fault(struct trap_frame *tf, int signo, int32_t code, uint64_t addr);

/* rt_sigsuspend, ppoll, pselect6: `mask` is the current thread's blocked
 * set until its way back to user mode restores the old one (or a handler's
 * frame records the old one for its sigreturn). */
void signal_mask_until_return(struct thread *t, uint64_t mask);

/* Takes the lowest pending signal in `set` off the thread's or its
 * process's pending signals (thread-directed first): its number and *info,
 * or 0 when none is pending (sigwait, sigtimedwait). */
int signal_dequeue(struct thread *t, uint64_t set, struct pending_info *info);

/*
 * On the way back to user mode from syscall `nr` (SYSCALL_NR_NONE when the
 * frame is not a syscall return) with its result in tf->rax: acts on pending
 * signals (handler frame, or default action, which may end the process) and
 * turns -ERESTART* into a restart or -EINTR.
 */
void signal_return_to_user(struct trap_frame *tf, uint64_t nr);
/* Sets return_work on every thread of `p` (a process-wide pending signal,
 * alarm or group exit): their next way out of a syscall takes the slow path.
 * Whoever changes what signal_return_to_user looks at sets the flag; the
 * slow path clears it when nothing is left. */
void signal_flag_return_work(struct process *p);
/* The same on the way back from an exception or interrupt (no syscall), when
 * the thread's return_work says there is something to do. */
void signal_return_from_trap(struct trap_frame *tf);

#endif

/*
 * A process: everything that belongs to one running program (design.md §10:
 * no per-process state in globals, so fork/execve/a scheduler can come later).
 */
#ifndef KERNEL_PROC_PROCESS_H
#define KERNEL_PROC_PROCESS_H

#include "kernel/identity.h" /* PROCESS_UID, PROCESS_GID */

#include <stdbool.h>
#include <stdint.h>

#define NSIG 64
/* Processes alive at once (zombies included); their threads are counted
 * against THREAD_MAX (proc/thread.h). */
#define PROC_MAX 256

/*
 * minivm plays init, as a real system has one: pid 1 is never a process of
 * the guest's (no table slot, nothing it runs), and the program minivm ran is
 * pid 2, its child, as a program run from a shell has a parent of its own.
 * Orphans go to init (unless a subreaper is nearer), which reaps them at
 * once; kill(-1) spares init and the caller, kill(1) is EPERM (init is
 * root's). A program that checks getppid() == 1 to see whether its parent
 * is gone (LTP's harness) thus works as on Linux.
 */
#define INIT_PID 1
#define PROGRAM_PID 2
#define RLIM_NLIMITS 16
#define RLIMIT_NPROC 6 /* the task limit (proc/fork.c) */
#define RLIM_INFINITY (~0ull)

struct mm;
struct fd_table;
struct file;
struct fpu_state;
struct trap_frame;
struct file_lock;
struct thread;

enum process_state {
    PROC_ALIVE,  /* has threads */
    PROC_ZOMBIE, /* its last thread exited; the parent has not collected the status yet */
};

/* What a pending signal carries into the handler's siginfo. */
struct pending_info {
    int32_t code; /* si_code */
    int32_t pid;  /* sender (SI_USER) or child (SIGCHLD) */
    int32_t status;
    uint64_t addr; /* faults (SIGSEGV, SIGBUS, ...): si_addr */
};
/* struct sigaction as the rt_sigaction syscall sees it (x86-64). */
struct k_sigaction {
    uint64_t handler;
    uint64_t flags;
    uint64_t restorer;
    uint64_t mask;
};

struct rlimit64 {
    uint64_t cur, max;
};

/* Where execve put the start-up strings and the auxv in user memory, as
 * Linux's mm keeps them for /proc/PID/{cmdline,environ,auxv}. */
struct exec_layout {
    uint64_t arg_start, arg_end; /* argv strings, NUL-terminated, back to back */
    uint64_t env_start, env_end;
    uint64_t auxv_start, auxv_end;
};

struct process {
    int32_t pid, ppid;
    int32_t pgid, sid;
    enum process_state state;
    int32_t exit_signal; /* sent to the parent at exit (clone's CSIGNAL), 0 for none */
    int32_t wait_status; /* zombies: the status wait4 reports (Linux encoding) */
    /* A zombie no one will wait for (the parent ignores SIGCHLD): freed by
     * the scheduler once it no longer runs on its kernel stack. */
    bool detached;
    /* PR_SET_CHILD_SUBREAPER: adopts the orphans among its descendants. */
    bool child_subreaper;
    int32_t pdeath_signal;   /* PR_SET_PDEATHSIG: sent when the parent ends (0: none) */
    uint64_t timer_slack_ns; /* PR_SET_TIMERSLACK: kept and reported (0: the default) */
    struct process *next_detached;
    struct mm *mm;
    struct fd_table *fds;

    /* Working directory: its absolute path, lexically normalized; relative
     * paths are joined onto it (path_at in fs/path.h). */
    char *cwd_path;
    uint32_t umask;

    struct k_sigaction sigactions[NSIG]; /* index = signo - 1 */
    /* Bit signo - 1: sigactions[signo - 1] may differ from the default (all
     * zero, SIG_DFL). Set by rt_sigaction; execve resets only these. */
    uint64_t sigactions_set;
    /* Process-directed pending signals (kill), for any thread that does
     * not block them; thread-directed ones are the thread's. */
    uint64_t sig_pending; /* bit signo - 1 */
    struct pending_info sig_info[NSIG];
    struct rlimit64 rlimits[RLIM_NLIMITS];

    struct thread *threads; /* its threads (proc/thread.h) */
    int32_t live_threads;   /* not yet exited */
    /* exit_group, a fatal signal or execve ends every thread: the others
     * stop at their next return to user mode (or blocking wait). */
    bool group_exiting;
    int32_t group_exit_status; /* the wait status of that end */
    struct thread *exec_thread; /* execve: the thread that stays */
    int32_t leader_exit_code;   /* SYS_exit of the first thread: the status if all just exit */

    char *exe_path; /* what /proc/self/exe reads as: argv[0] made absolute */
    struct file *exe_file; /* the running program's file (execve of /proc/self/exe) */
    uint64_t exe_size;
    uint64_t exe_load_bias; /* where its ELF image was loaded minus where it was linked */
    char comm[16];  /* prctl(PR_SET_NAME): the thread name, NUL-terminated */
    struct exec_layout layout; /* of the program it runs */
    uint64_t start_ns;         /* clock_monotonic_ns() when it was created */
    /* ITIMER_REAL (alarm, setitimer): when SIGALRM is due on the monotonic
     * clock (0: disarmed) and the period after that (0: once). */
    uint64_t alarm_at_ns;
    uint64_t alarm_interval_ns;
    bool vfork_waiting;    /* a vfork parent waits for this child's execve or exit */
    /* The POSIX lock a blocked F_SETLKW waits for (fs/locks.c: deadlock detection). */
    const struct file_lock *lock_request;
};

/* Creates the first process from the boot info's program and argv/envp and
 * enters it in user mode. Never returns. */
__attribute__((noreturn)) void process_start_first(void);

/* The process (the current one) exits with `status`, all its threads
 * (exit_group): the first process's exit ends the VM with it; any other
 * becomes a zombie for its parent. */
__attribute__((noreturn)) void process_exit(struct process *p, int status);

/* The process (the current one) dies of signal `signo`, all its threads: for the first
 * process the VMM reports it (rip, addr) and exits 128 + signo. */
__attribute__((noreturn)) void process_die_by_signal(struct process *p, int signo, uint64_t rip,
                                                     uint64_t addr);

/* The process (the current one) is killed because the guest ran out of
 * memory (SIGKILL, as Linux's OOM killer would): for the first process the
 * VMM says so. */
__attribute__((noreturn)) void process_die_out_of_memory(struct process *p, uint64_t rip,
                                                         uint64_t addr);

/* A copy of `parent` (the current process) for fork: address space
 * (copy-on-write, or the parent's own with `share_mm`: CLONE_VM), fds, cwd,
 * signal handlers, and one thread: a copy of the calling one, returning to
 * user mode with `*frame` (RAX 0). The child is runnable. NULL with
 * *err = -ENOMEM/-EAGAIN. */
struct process *process_fork(struct process *parent, const struct trap_frame *frame,
                             bool share_mm, int *err);

/* A blank process in the table (pid, cwd buffer; no threads, mm or fds
 * yet); NULL when out of memory or pids. */
struct process *process_alloc(void);
/* Frees a process and everything it still holds (threads included: none
 * may be running), and its table slot. */
void process_free(struct process *p);

/* Frees what is left of a zombie once its parent has collected it. */
void process_reap(struct process *p);
/* Frees detached zombies other than the current process (kernel/sched.c,
 * after every switch). */
void process_reap_detached(void);

/* The process with `pid`, or NULL. Zombies included. */
struct process *process_find(int32_t pid);
/* Slot i (0 <= i < PROC_MAX) of the process table, or NULL (always beyond
 * process_table_end()). */
struct process *process_at(int i);
/* One past the highest slot in use: loops over process_at stop there. */
int process_table_end(void);

#endif

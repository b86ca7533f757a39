/*
 * A thread: what runs on a CPU. Every process has one or more threads that
 * share its address space, files, working directory and signal handlers
 * (Linux's CLONE_THREAD group); each thread has its own kernel stack,
 * registers (the trap frame on that stack, the FPU state, the TLS base),
 * signal mask and thread-directed pending signals, and scheduler state. The
 * process's pid is the id of its first thread (getpid is the group's id,
 * gettid the thread's own); thread ids come from the same number space.
 */
#ifndef KERNEL_PROC_THREAD_H
#define KERNEL_PROC_THREAD_H

#include "arch/percpu.h"
#include "proc/process.h"

#include <stdbool.h>
#include <stdint.h>

struct trap_frame;

/* Threads alive at once in the VM, over all processes: one kernel-stack slot
 * each (mm/kernel_vm.c). RLIMIT_NPROC defaults to this; beyond it clone,
 * fork and vfork fail with EAGAIN, as Linux's task limits do. */
#define THREAD_MAX 256

enum thread_state {
    THREAD_NEW,      /* created, not started yet (sched_start) */
    THREAD_RUNNABLE, /* running, or on a run queue */
    THREAD_BLOCKED,  /* in sched_block: waits for a wake-up, a signal or its deadline */
    THREAD_DEAD,     /* exited; freed once no CPU runs on its kernel stack */
};

#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1u << 31)

/* sigaltstack (stack_t as the syscall sees it). */
struct signal_stack {
    uint64_t sp;
    int32_t flags;
    int32_t pad;
    uint64_t size;
};

struct thread {
    int32_t tid;
    struct process *proc;
    struct thread *next_in_group; /* the process's threads, newest first */

    enum thread_state state;
    /* The way out of a syscall may have work (proc/signal.c keeps it): the
     * syscall fast path's one test (arch/upper/syscall_entry.S). */
    bool return_work;
    uint64_t kstack_top;
    uint64_t kernel_sp;    /* saved kernel RSP while another thread runs */
    /* Scheduler lists (kernel/sched.c): the run queue, or the blocked list. */
    struct thread *sched_next, *sched_prev;
    const void *wait_chan; /* what a blocked thread waits for (sched_wake) */
    uint64_t wake_at_ns;   /* deadline of a blocked thread, 0 for none */
    bool timed_out;        /* the last sched_block ended at its deadline */
    uint64_t slice_start_ns; /* when it last got the CPU (time slices) */

    struct fpu_state *fpu; /* the user FPU/SSE state while another thread runs */
    uint64_t ext_state_pa; /* the vector state beyond the FXSAVE image (arch/ext_state.h), or 0 */
    void *fpu_block;       /* what holds it (XSAVE wants 64-byte alignment) */
    uint64_t fs_base;      /* MSR_FS_BASE (TLS) */

    uint64_t sigmask;
    uint64_t sig_pending; /* thread-directed: tgkill, faults; bit signo - 1 */
    struct pending_info sig_info[NSIG];
    /* rt_sigsuspend/ppoll: the mask to go back to once a signal was acted on. */
    uint64_t saved_sigmask;
    bool restore_sigmask;
    struct signal_stack altstack;

    char comm[16]; /* its name (PR_SET_NAME); the first thread's is the process's */
    uint64_t clear_child_tid; /* CLONE_CHILD_CLEARTID / set_tid_address */
    uint64_t robust_list, robust_list_len;
};

/* The thread must end because its process is ending (exit_group, a fatal
 * signal, or another thread's execve, which alone goes on). */
static inline bool thread_must_exit(const struct thread *t)
{
    return t->proc->group_exiting && t->proc->exec_thread != t;
}

/* A new thread of `p` with its own tid, kernel stack and FPU area, blocked
 * until sched_start; NULL with -EAGAIN (task limit, ids) or -ENOMEM. */
struct thread *thread_alloc(struct process *p, int *err);
/* A new thread of `p` starting as a copy of the calling thread with
 * `*frame` (RAX 0), not yet started (sched_start); NULL with -EAGAIN (task
 * limit: RLIMIT_NPROC, THREAD_MAX) or -ENOMEM. */
struct thread *thread_clone(struct process *p, const struct trap_frame *frame, int *err);

/* Unlinks `t` from its process and frees it (its kernel stack too: never
 * the running thread). */
void thread_free(struct thread *t);

/* `t` has exited: no longer counted or found; freed once no CPU runs on
 * its kernel stack (kernel/sched.c). */
void thread_mark_dead(struct thread *t);

/* Threads alive (not dead) in the VM. */
int thread_count(void);
/* The thread with `tid` (not dead), or NULL. */
struct thread *thread_find(int32_t tid);
/* The thread of `p` with `tid` (not dead), or NULL. */
struct thread *thread_in_process(const struct process *p, int32_t tid);
/* Whether some thread or process uses `id` as its tid or pid. */
bool thread_id_in_use(int32_t id);

/* CLONE_CHILD_CLEARTID of the current thread `t`, as Linux's mm_release:
 * 0 written and one waiter woken (pthread_join), while another thread or
 * process shares the address space (at its exit, or a vfork child's
 * execve). */
void thread_release_child_tid(struct thread *t);

/* The current thread `t` exits alone (SYS_exit): robust futexes released,
 * CLONE_CHILD_CLEARTID done; the last thread's exit ends the process with
 * `status` (the first thread's, if it exited earlier). */
__attribute__((noreturn)) void thread_exit(struct thread *t, int status);

/* The current thread `t` ends because its whole process does (exit_group,
 * a fatal signal, another thread's execve). */
__attribute__((noreturn)) void thread_exit_for_group(struct thread *t);

/* Sets the FS base (TLS) of `t`, loading it when t runs: 0, or -EPERM for a
 * value outside the user half (as arch_prctl and CLONE_SETTLS answer). */
int thread_set_fs_base(struct thread *t, uint64_t base);

#endif

/*
 * fork and thread creation. fork: a new process that is a copy of the
 * caller, with one thread — a copy of the calling thread. Memory is shared
 * copy-on-write (mm/mm_clone.c), or outright for a vfork child (CLONE_VM);
 * open files are shared (each fd takes a reference on the same struct file:
 * one file position, as on Linux). A new thread shares everything of its
 * process and starts as a copy of the calling thread's registers.
 */
#include "arch/context_switch.h"
#include "arch/ext_state.h"
#include "arch/fpu.h"
#include "arch/trap_frame.h"
#include "fs/fd.h"
#include "fs/file.h"
#include "kernel/sched.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/mm.h"
#include "proc/debug_events.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/thread.h"

static char *copy_string(const char *s, uint64_t size)
{
    if (s == 0)
        return 0;
    char *copy = kzalloc(size);
    if (copy != 0)
        strlcpy(copy, s, size);
    return copy;
}

/* Everything but memory, files and threads. */
static void copy_identity(struct process *child, const struct process *parent)
{
    child->ppid = parent->pid;
    child->pgid = parent->pgid;
    child->sid = parent->sid;
    child->umask = parent->umask;
    child->timer_slack_ns = parent->timer_slack_ns;
    memcpy(child->sigactions, parent->sigactions, sizeof child->sigactions);
    child->sigactions_set = parent->sigactions_set;
    memcpy(child->rlimits, parent->rlimits, sizeof child->rlimits);
    child->layout = parent->layout;
    strlcpy(child->cwd_path, parent->cwd_path, FILEIO_PATH_MAX);
}

/* The task limit: RLIMIT_NPROC (at most THREAD_MAX) threads in the VM. */
static bool task_limit_reached(const struct process *p)
{
    return (uint64_t)thread_count() >= p->rlimits[RLIMIT_NPROC].cur;
}

/* The registers and per-thread state `t` starts with: the caller's, and
 * `*frame` (RAX 0: clone and fork return 0 in the child). */
static void start_as_copy(struct thread *t, const struct thread *from,
                          const struct trap_frame *frame)
{
    t->sigmask = from->sigmask;
    t->fs_base = from->fs_base;
    memcpy(t->comm, from->comm, sizeof t->comm);
    /* The caller's live FPU state is the new thread's starting state. */
    fpu_save(t->fpu);
    ext_state_save(t->ext_state_pa);
    struct trap_frame first = *frame;
    first.rax = 0;
    t->kernel_sp = context_prepare_first_return(t->kstack_top, &first);
}

struct process *process_fork(struct process *parent, const struct trap_frame *frame,
                             bool share_mm, int *err)
{
    if (task_limit_reached(parent)) {
        *err = -EAGAIN;
        return 0;
    }
    struct process *child = process_alloc();
    if (child == 0) {
        *err = -EAGAIN;
        return 0;
    }
    copy_identity(child, parent);
    child->exe_path = copy_string(parent->exe_path, FILEIO_PATH_MAX);
    child->exe_file = parent->exe_file;
    child->exe_size = parent->exe_size;
    child->exe_load_bias = parent->exe_load_bias;
    if (child->exe_file != 0)
        file_get(child->exe_file);
    child->fds = fd_table_clone(parent->fds);
    if (share_mm) {
        mm_get(parent->mm);
        child->mm = parent->mm;
    } else {
        child->mm = mm_clone(parent->mm);
    }
    struct thread *t = 0;
    if (child->fds != 0 && child->mm != 0 && (parent->exe_path == 0 || child->exe_path != 0))
        t = thread_alloc(child, err);
    else
        *err = -ENOMEM;
    if (t == 0) {
        if (child->mm != 0)
            mm_put(child->mm);
        child->mm = 0;
        process_free(child);
        return 0;
    }
    const struct thread *caller = current_thread();
    start_as_copy(t, caller, frame);
    t->altstack = caller->altstack; /* fork keeps it; a new thread does not */
    memcpy(child->comm, caller->comm, sizeof child->comm);
    sched_start(t);
    return child;
}

struct thread *thread_clone(struct process *p, const struct trap_frame *frame, int *err)
{
    if (task_limit_reached(p)) {
        *err = -EAGAIN;
        return 0;
    }
    struct thread *t = thread_alloc(p, err);
    if (t == 0)
        return 0;
    start_as_copy(t, current_thread(), frame);
    debug_report_thread(t);
    return t; /* the caller finishes it (TLS, tid words) and starts it */
}

/*
 * fork: a new process that is a copy of the caller. Memory is shared
 * copy-on-write (mm/mm_clone.c), or outright for a vfork child (CLONE_VM);
 * open files are shared (each fd takes a reference on the same struct file:
 * one file position, as on Linux).
 */
#include "arch/context_switch.h"
#include "arch/fpu.h"
#include "arch/trap_frame.h"
#include "fs/fd.h"
#include "fs/file.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/mm.h"
#include "proc/process.h"
#include "proc/signal.h"

static char *copy_string(const char *s, uint64_t size)
{
    if (s == 0)
        return 0;
    char *copy = kzalloc(size);
    if (copy != 0)
        strlcpy(copy, s, size);
    return copy;
}

/* Everything but memory, files and the kernel stack. */
static void copy_identity(struct process *child, const struct process *parent)
{
    child->ppid = parent->pid;
    child->pgid = parent->pgid;
    child->sid = parent->sid;
    child->umask = parent->umask;
    child->timer_slack_ns = parent->timer_slack_ns;
    memcpy(child->sigactions, parent->sigactions, sizeof child->sigactions);
    child->sigmask = parent->sigmask;
    memcpy(child->rlimits, parent->rlimits, sizeof child->rlimits);
    child->fs_base = parent->fs_base;
    memcpy(child->comm, parent->comm, sizeof child->comm);
    child->layout = parent->layout;
    strlcpy(child->cwd_path, parent->cwd_path, FILEIO_PATH_MAX);
}

struct process *process_fork(struct process *parent, const struct trap_frame *frame,
                             bool share_mm, int *err)
{
    struct process *child = process_alloc();
    if (child == 0) {
        *err = -EAGAIN;
        return 0;
    }
    copy_identity(child, parent);
    child->exe_path = copy_string(parent->exe_path, FILEIO_PATH_MAX);
    child->exe_file = parent->exe_file;
    child->exe_size = parent->exe_size;
    if (child->exe_file != 0)
        file_get(child->exe_file);
    child->fds = fd_table_clone(parent->fds);
    if (share_mm) {
        mm_get(parent->mm);
        child->mm = parent->mm;
    } else {
        child->mm = mm_clone(parent->mm);
    }
    if (child->fds == 0 || child->mm == 0 || (parent->exe_path != 0 && child->exe_path == 0)) {
        if (child->mm != 0)
            mm_put(child->mm);
        process_free(child);
        *err = -ENOMEM;
        return 0;
    }
    /* The parent's live FPU state is the child's starting state. */
    fpu_save(child->fpu);
    struct trap_frame child_frame = *frame;
    child_frame.rax = 0; /* fork returns 0 in the child */
    child->kernel_sp = context_prepare_first_return(child->kstack_top, &child_frame);
    child->state = PROC_RUNNABLE;
    return child;
}

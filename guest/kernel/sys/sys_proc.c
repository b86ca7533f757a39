/*
 * Creating, replacing and collecting processes: clone/fork/vfork, execve,
 * wait4/waitid, and process groups.
 */
#include "arch/trap_frame.h"
#include "fs/file.h"
#include "kernel/log.h"
#include "kernel/sched.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/mm.h"
#include "mm/uaccess.h"
#include "proc/exec.h"
#include "proc/exec_args.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/thread.h"
#include "proc/user_stack.h"
#include "proc/wait.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define CSIGNAL 0x000000ffull
#define CLONE_VM 0x00000100ull
#define CLONE_FS 0x00000200ull
#define CLONE_FILES 0x00000400ull
#define CLONE_SIGHAND 0x00000800ull
#define CLONE_PTRACE 0x00002000ull
#define CLONE_VFORK 0x00004000ull
#define CLONE_THREAD 0x00010000ull
#define CLONE_SYSVSEM 0x00040000ull
#define CLONE_SETTLS 0x00080000ull
#define CLONE_PARENT_SETTID 0x00100000ull
#define CLONE_CHILD_CLEARTID 0x00200000ull
#define CLONE_DETACHED 0x00400000ull
#define CLONE_UNTRACED 0x00800000ull
#define CLONE_CHILD_SETTID 0x01000000ull
/* Flags that change nothing here: no System V semaphores to undo, no
 * tracing, and CLONE_DETACHED has been ignored by Linux for ages. */
#define CLONE_NO_EFFECT (CLONE_SYSVSEM | CLONE_DETACHED | CLONE_PTRACE | CLONE_UNTRACED)
/* What creating a process or a thread may ask for. Sharing files, the
 * working directory or handlers between *processes* is not supported (a
 * thread shares them all); memory only with CLONE_VFORK (vfork,
 * posix_spawn), while the parent waits. */
#define CLONE_SUPPORTED (CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
                         CLONE_VFORK | CLONE_THREAD | CLONE_SETTLS | CLONE_PARENT_SETTID | \
                         CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_NO_EFFECT)
#define CLONE_THREAD_NEEDS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND)

#define WNOHANG 0x00000001
#define WUNTRACED 0x00000002
#define WEXITED 0x00000004
#define WCONTINUED 0x00000008
#define WNOWAIT 0x01000000
#define WALL_FLAGS 0xe0000000u /* __WNOTHREAD, __WALL, __WCLONE */
#define P_ALL 0
#define P_PID 1
#define P_PGID 2

/* vfork: the parent waits until the child has called execve or exited.
 * Signals with handlers wait for that (they run once vfork returns); a fatal
 * one ends the wait, and the parent dies on its way back to user mode. */
static void wait_for_vfork_child(struct process *child)
{
    int32_t pid = child->pid;
    child->vfork_waiting = true;
    for (;;) {
        struct process *c = process_find(pid);
        if (c == 0 || !c->vfork_waiting || signal_fatal_pending())
            return;
        sched_block(&c->vfork_waiting, 0);
    }
}

/* clone's arguments, from clone or clone3. */
struct clone_request {
    uint64_t flags;
    int32_t exit_signal;
    uint64_t stack; /* the new stack pointer, 0: the caller's */
    uint64_t parent_tid, child_tid, tls;
};

/* Linux's checks, in its order: a thread needs shared handlers, shared
 * handlers need shared memory. */
static int64_t check_clone_flags(uint64_t flags)
{
    if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
        return -EINVAL;
    if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
        return -EINVAL;
    if (flags & ~CLONE_SUPPORTED) {
        ktrace("clone flags %#lx: namespaces and the like are not supported", flags);
        return -EINVAL;
    }
    if ((flags & CLONE_THREAD) && (flags & CLONE_THREAD_NEEDS) != CLONE_THREAD_NEEDS) {
        ktrace("clone flags %#lx: a thread must share files and the working directory", flags);
        return -EINVAL;
    }
    if (!(flags & CLONE_THREAD) &&
        ((flags & (CLONE_FS | CLONE_FILES | CLONE_SIGHAND)) ||
         ((flags & CLONE_VM) && !(flags & CLONE_VFORK)))) {
        ktrace("clone flags %#lx share state between processes: not supported", flags);
        return -EINVAL;
    }
    return 0;
}

/* What clone asks of the new thread `t` (a process's first, or one more
 * of the caller's), whose id `id` is what clone returns: TLS, and the tid
 * words in its memory and the caller's (the same memory for a thread). */
static void finish_clone(struct thread *t, const struct clone_request *r, int32_t id)
{
    if (r->flags & CLONE_SETTLS)
        thread_set_fs_base(t, r->tls);
    if (r->flags & CLONE_CHILD_CLEARTID)
        t->clear_child_tid = r->child_tid;
    if (r->flags & CLONE_CHILD_SETTID)
        mm_copy_to(t->proc->mm, r->child_tid, &id, sizeof id, false);
    if (r->flags & CLONE_PARENT_SETTID)
        copy_to_user(r->parent_tid, &id, sizeof id);
}

static int64_t do_clone(struct syscall_call *c, const struct clone_request *r)
{
    uint64_t flags = r->flags;
    int64_t bad = check_clone_flags(flags);
    if (bad != 0)
        return bad;
    struct process *parent = c->proc;
    struct trap_frame frame = *c->frame;
    if (r->stack != 0)
        frame.rsp = r->stack;
    /* Checked before anything is created: a bad TLS fails the clone (EPERM). */
    if ((flags & CLONE_SETTLS) && !user_address_valid(r->tls))
        return -EPERM;
    int err;
    if (flags & CLONE_THREAD) {
        struct thread *t = thread_clone(parent, &frame, &err);
        if (t == 0)
            return err;
        finish_clone(t, r, t->tid);
        sched_start(t);
        return t->tid;
    }
    struct process *child = process_fork(parent, &frame, (flags & CLONE_VM) != 0, &err);
    if (child == 0)
        return err;
    child->exit_signal = r->exit_signal;
    finish_clone(child->threads, r, child->pid);
    if (flags & CLONE_VFORK)
        wait_for_vfork_child(child);
    return child->pid;
}

int64_t sys_clone(struct syscall_call *c)
{
    /* x86-64 order: flags, stack, parent_tid, child_tid, tls */
    struct clone_request r = {.flags = c->arg[0] & ~CSIGNAL,
                              .exit_signal = (int32_t)(c->arg[0] & CSIGNAL),
                              .stack = c->arg[1],
                              .parent_tid = c->arg[2],
                              .child_tid = c->arg[3],
                              .tls = c->arg[4]};
    if (r.flags & CLONE_THREAD)
        r.exit_signal = 0;
    return do_clone(c, &r);
}

/* struct clone_args, CLONE_ARGS_SIZE_VER2 (88 bytes). */
struct clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
    uint64_t set_tid, set_tid_size, cgroup;
};
#define CLONE_ARGS_SIZE_VER0 64
#define CLONE_ARGS_SIZE_MAX 4096 /* Linux's PAGE_SIZE bound */

int64_t sys_clone3(struct syscall_call *c)
{
    uint64_t uargs = c->arg[0], size = c->arg[1];
    if (size < CLONE_ARGS_SIZE_VER0 || size > CLONE_ARGS_SIZE_MAX)
        return -EINVAL;
    struct clone_args a;
    memset(&a, 0, sizeof a);
    int err = copy_from_user(&a, uargs, size < sizeof a ? size : sizeof a);
    if (err != 0)
        return err;
    /* A larger struct from a newer libc: what we do not know must be zero. */
    for (uint64_t off = sizeof a; off < size; off++) {
        uint8_t byte;
        err = copy_from_user(&byte, uargs + off, 1);
        if (err != 0)
            return err;
        if (byte != 0)
            return -E2BIG;
    }
    /* pidfd is read only with CLONE_PIDFD (not supported: glibc fills it in
     * anyway); set_tid and cgroup need privileges or features we lack. */
    if ((a.flags & CSIGNAL) || a.exit_signal > NSIG || a.set_tid != 0 || a.set_tid_size != 0 ||
        a.cgroup != 0 || ((a.flags & CLONE_THREAD) && a.exit_signal != 0))
        return -EINVAL;
    if ((a.stack == 0) != (a.stack_size == 0) || a.stack + a.stack_size < a.stack)
        return -EINVAL;
    struct clone_request r = {.flags = a.flags,
                              .exit_signal = (int32_t)a.exit_signal,
                              .stack = a.stack != 0 ? a.stack + a.stack_size : 0,
                              .parent_tid = a.parent_tid,
                              .child_tid = a.child_tid,
                              .tls = a.tls};
    return do_clone(c, &r);
}

int64_t sys_fork(struct syscall_call *c)
{
    struct clone_request r = {.exit_signal = SIGCHLD};
    return do_clone(c, &r);
}

int64_t sys_vfork(struct syscall_call *c)
{
    /* The child runs in the parent's memory, on its stack, while the parent
     * waits for its execve or exit. */
    struct clone_request r = {.flags = CLONE_VM | CLONE_VFORK, .exit_signal = SIGCHLD};
    return do_clone(c, &r);
}

int64_t sys_execve(struct syscall_call *c)
{
    static char path[FILEIO_PATH_MAX];
    int64_t len = strncpy_from_user(path, c->arg[0], sizeof path);
    if (len < 0)
        return len;
    struct exec_strings strings;
    int err = exec_args_copy(c->arg[1], c->arg[2], &strings);
    if (err != 0)
        return err;
    err = exec_path(c->proc, c->frame, path, &strings);
    if (err != 0)
        return err;
    c->nr = SYSCALL_NR_NONE;
    return 0; /* RAX of the new program */
}

/* --- waiting for children ------------------------------------------------------ */

int64_t sys_wait4(struct syscall_call *c)
{
    int32_t pid = arg_int(c->arg[0]);
    uint64_t ustatus = c->arg[1], urusage = c->arg[3];
    uint32_t options = (uint32_t)c->arg[2];
    if (options & ~(uint32_t)(WNOHANG | WUNTRACED | WCONTINUED | WALL_FLAGS))
        return -EINVAL;
    if (pid == INT32_MIN)
        return -ESRCH;
    struct wait_request req = {.pid = pid, .nohang = (options & WNOHANG) != 0};
    struct wait_result res;
    int err = wait_for_child(c->proc, &req, &res);
    if (err != 0)
        return err;
    if (res.pid != 0 && ustatus != 0) {
        err = copy_to_user(ustatus, &res.wait_status, sizeof res.wait_status);
        if (err != 0)
            return err;
    }
    /* Like Linux, only a collected child's usage is written: WNOHANG with
     * nothing to report leaves the buffer alone. */
    if (urusage != 0 && res.pid != 0) {
        uint64_t rusage[18];
        memset(rusage, 0, sizeof rusage);
        err = copy_to_user(urusage, rusage, sizeof rusage);
        if (err != 0)
            return err;
    }
    return res.pid;
}

/* siginfo_t as waitid fills it in (128 bytes). */
struct waitid_info {
    int32_t si_signo, si_errno, si_code, pad;
    int32_t si_pid;
    uint32_t si_uid;
    int32_t si_status;
    int32_t pad2;
    int64_t si_utime, si_stime;
    uint8_t rest[80];
};
_Static_assert(sizeof(struct waitid_info) == 128, "siginfo");

int64_t sys_waitid(struct syscall_call *c)
{
    int32_t idtype = arg_int(c->arg[0]), id = arg_int(c->arg[1]);
    uint64_t uinfo = c->arg[2];
    uint32_t options = (uint32_t)c->arg[3];
    if (options & ~(uint32_t)(WNOHANG | WUNTRACED | WEXITED | WCONTINUED | WNOWAIT | WALL_FLAGS))
        return -EINVAL;
    if (!(options & (WEXITED | WUNTRACED | WCONTINUED)))
        return -EINVAL;
    struct wait_request req = {.nohang = (options & WNOHANG) != 0,
                               .keep = (options & WNOWAIT) != 0};
    if (idtype == P_ALL)
        req.pid = -1;
    else if (idtype == P_PID && id > 0)
        req.pid = id;
    else if (idtype == P_PGID && id >= 0)
        req.pid = id == 0 ? 0 : -id;
    else
        return -EINVAL;
    if (!(options & WEXITED)) {
        /* Only stops/continues asked for: there are none without job control. */
        req.nohang = true;
        req.pid = INT32_MIN;
    }
    struct wait_result res = {0, 0};
    int err = req.pid == INT32_MIN ? 0 : wait_for_child(c->proc, &req, &res);
    if (err == -ERESTARTSYS)
        return err;
    if (uinfo != 0) {
        struct waitid_info info;
        memset(&info, 0, sizeof info);
        if (res.pid != 0) {
            info.si_signo = SIGCHLD;
            wait_status_decode(res.wait_status, &info.si_code, &info.si_status);
            info.si_pid = res.pid;
            info.si_uid = PROCESS_UID;
        }
        /* Written even when there is nothing to report, as Linux does. */
        int copy_err = copy_to_user(uinfo, &info, sizeof info);
        if (copy_err != 0)
            return copy_err;
    }
    return err;
}

/* --- process groups ------------------------------------------------------------- */

int64_t sys_setpgid(struct syscall_call *c)
{
    int32_t pid = arg_int(c->arg[0]), pgid = arg_int(c->arg[1]);
    if (pgid < 0)
        return -EINVAL;
    struct process *t = pid == 0 ? c->proc : process_find(pid);
    if (t == 0 || (t != c->proc && t->ppid != c->proc->pid))
        return -ESRCH;
    t->pgid = pgid == 0 ? t->pid : pgid;
    return 0;
}

int64_t sys_setsid(struct syscall_call *c)
{
    struct process *p = c->proc;
    if (p->pgid == p->pid)
        return -EPERM; /* already a group leader */
    p->sid = p->pid;
    p->pgid = p->pid;
    return p->sid;
}

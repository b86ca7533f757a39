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
#include "proc/user_stack.h"
#include "proc/wait.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define CSIGNAL 0x000000ffull
#define CLONE_VM 0x00000100ull
#define CLONE_VFORK 0x00004000ull
#define CLONE_SETTLS 0x00080000ull
#define CLONE_PARENT_SETTID 0x00100000ull
#define CLONE_CHILD_CLEARTID 0x00200000ull
#define CLONE_CHILD_SETTID 0x01000000ull
/* What a fork-like clone may ask for: no sharing of files, signal handlers,
 * ...; memory only with CLONE_VFORK (vfork, posix_spawn), while the parent
 * waits. */
#define CLONE_FORK_FLAGS (CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_SETTLS | \
                          CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)

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
static void wait_for_vfork_child(struct process *parent, struct process *child)
{
    int32_t pid = child->pid;
    child->vfork_waiting = true;
    for (;;) {
        struct process *c = process_find(pid);
        if (c == 0 || !c->vfork_waiting || signal_fatal_pending(parent))
            return;
        sched_block(&c->vfork_waiting, 0);
    }
}

static int64_t do_fork(struct syscall_call *c, uint64_t flags, uint64_t child_stack,
                       uint64_t ptid, uint64_t ctid, uint64_t tls)
{
    if ((flags & ~CLONE_FORK_FLAGS) || ((flags & CLONE_VM) && !(flags & CLONE_VFORK))) {
        ktrace("clone flags %#lx share state between processes (threads): not supported", flags);
        return (flags & CLONE_VM) ? -ENOSYS : -EINVAL;
    }
    struct process *parent = c->proc;
    int err;
    struct trap_frame frame = *c->frame;
    if (child_stack != 0)
        frame.rsp = child_stack;
    /* Checked before anything is created: a bad TLS fails the clone (EPERM). */
    if ((flags & CLONE_SETTLS) && !user_address_valid(tls))
        return -EPERM;
    struct process *child = process_fork(parent, &frame, (flags & CLONE_VM) != 0, &err);
    if (child == 0)
        return err;
    child->exit_signal = (int32_t)(flags & CSIGNAL);
    if (flags & CLONE_SETTLS)
        process_set_fs_base(child, tls);
    int32_t pid = child->pid;
    if (flags & CLONE_CHILD_CLEARTID)
        child->clear_child_tid = ctid;
    if (flags & CLONE_CHILD_SETTID)
        mm_copy_to(child->mm, ctid, &pid, sizeof pid, false);
    if (flags & CLONE_PARENT_SETTID)
        copy_to_user(ptid, &pid, sizeof pid);
    if (flags & CLONE_VFORK)
        wait_for_vfork_child(parent, child);
    return pid;
}

int64_t sys_clone(struct syscall_call *c)
{
    /* x86-64 order: flags, stack, parent_tid, child_tid, tls */
    return do_fork(c, c->arg[0], c->arg[1], c->arg[2], c->arg[3], c->arg[4]);
}

int64_t sys_fork(struct syscall_call *c)
{
    return do_fork(c, SIGCHLD, 0, 0, 0, 0);
}

int64_t sys_vfork(struct syscall_call *c)
{
    /* The child runs in the parent's memory, on its stack, while the parent
     * waits for its execve or exit. */
    return do_fork(c, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
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

/* Process-level syscalls: exit, identity, limits, TLS, uname, randomness. */
#include "arch/cpu.h"
#include "arch/trap_frame.h"
#include "kernel/boot_info.h"
#include "kernel/clock.h"
#include "kernel/identity.h"
#include "kernel/log.h"
#include "kernel/random.h"
#include "kernel/sched.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/mm.h"
#include "mm/pmm.h"
#include "mm/uaccess.h"
#include "proc/futex.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/thread.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

#define FUTEX_CMD_MASK 0x7f /* without FUTEX_PRIVATE_FLAG / FUTEX_CLOCK_REALTIME */
#define FUTEX_PRIVATE_FLAG 128

#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4

#define UTS_FIELD 65

int64_t sys_exit(struct syscall_call *c)
{
    thread_exit(c->thread, arg_int(c->arg[0]) & 0xff);
}

int64_t sys_exit_group(struct syscall_call *c)
{
    process_exit(c->proc, arg_int(c->arg[0]) & 0xff);
}

int64_t sys_getpid(struct syscall_call *c)
{
    return c->proc->pid;
}

int64_t sys_gettid(struct syscall_call *c)
{
    return c->thread->tid;
}

int64_t sys_getppid(struct syscall_call *c)
{
    return c->proc->ppid;
}

int64_t sys_getpgrp(struct syscall_call *c)
{
    return c->proc->pgid;
}

/* The process `pid` names for getpgid/getsid (0: the caller), or NULL. */
static struct process *pid_target(struct syscall_call *c)
{
    int32_t pid = arg_int(c->arg[0]);
    return pid == 0 ? c->proc : pid > 0 ? process_find(pid) : 0;
}

int64_t sys_getpgid(struct syscall_call *c)
{
    if (arg_int(c->arg[0]) == INIT_PID)
        return INIT_PID; /* init leads its own group and session */
    struct process *t = pid_target(c);
    return t != 0 ? t->pgid : -ESRCH;
}

int64_t sys_getsid(struct syscall_call *c)
{
    if (arg_int(c->arg[0]) == INIT_PID)
        return INIT_PID;
    struct process *t = pid_target(c);
    return t != 0 ? t->sid : -ESRCH;
}

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PR_SET_TIMERSLACK 29
#define PR_GET_TIMERSLACK 30
#define PR_SET_CHILD_SUBREAPER 36
#define PR_GET_CHILD_SUBREAPER 37
#define TASK_COMM_LEN 16

int64_t sys_prctl(struct syscall_call *c)
{
    struct process *p = c->proc;
    switch (arg_int(c->arg[0])) {
    case PR_SET_NAME: {
        char name[TASK_COMM_LEN];
        int64_t n = strncpy_from_user(name, c->arg[1], sizeof name);
        if (n == -ENAMETOOLONG) {
            name[TASK_COMM_LEN - 1] = 0; /* Linux truncates */
            n = 0;
        }
        if (n < 0)
            return n;
        memcpy(c->thread->comm, name, sizeof name);
        if (c->thread->tid == p->pid) /* /proc/PID/comm is the first thread's */
            memcpy(p->comm, name, sizeof name);
        return 0;
    }
    case PR_GET_NAME:
        return copy_to_user(c->arg[1], c->thread->comm, sizeof c->thread->comm);
    case PR_SET_PDEATHSIG:
        if (c->arg[1] > NSIG)
            return -EINVAL;
        p->pdeath_signal = (int32_t)c->arg[1];
        return 0;
    case PR_GET_PDEATHSIG:
        return copy_to_user(c->arg[1], &p->pdeath_signal, sizeof p->pdeath_signal);
    case PR_SET_TIMERSLACK:
        /* Kept for PR_GET_TIMERSLACK: sleeps here wake as soon as they can. */
        p->timer_slack_ns = c->arg[1];
        return 0;
    case PR_GET_TIMERSLACK:
        return (int64_t)(p->timer_slack_ns != 0 ? p->timer_slack_ns : 50000); /* Linux's default */
    case PR_GET_DUMPABLE:
        return 1;
    case PR_SET_DUMPABLE:
        return c->arg[1] <= 1 ? 0 : -EINVAL;
    case PR_SET_CHILD_SUBREAPER:
        p->child_subreaper = c->arg[1] != 0;
        return 0;
    case PR_GET_CHILD_SUBREAPER: {
        int32_t is = p->child_subreaper;
        return copy_to_user(c->arg[1], &is, sizeof is);
    }
    default:
        return -EINVAL;
    }
}

int64_t sys_sched_yield(struct syscall_call *c)
{
    (void)c;
    sched_yield_cpu();
    return 0;
}

int64_t sys_set_tid_address(struct syscall_call *c)
{
    struct thread *t = c->thread;
    t->clear_child_tid = c->arg[0];
    return t->tid;
}

#define ROBUST_LIST_HEAD_SIZE 24 /* sizeof(struct robust_list_head) */

int64_t sys_set_robust_list(struct syscall_call *c)
{
    if (c->arg[1] != ROBUST_LIST_HEAD_SIZE)
        return -EINVAL;
    struct thread *t = c->thread;
    t->robust_list = c->arg[0];
    t->robust_list_len = c->arg[1];
    return 0;
}

int64_t sys_get_robust_list(struct syscall_call *c)
{
    int32_t tid = arg_int(c->arg[0]);
    struct thread *t = tid == 0 ? c->thread : thread_find(tid);
    if (t == 0)
        return -ESRCH;
    uint64_t len = ROBUST_LIST_HEAD_SIZE;
    int err = copy_to_user(c->arg[2], &len, sizeof len);
    if (err == 0)
        err = copy_to_user(c->arg[1], &t->robust_list, sizeof t->robust_list);
    return err;
}

int64_t sys_rseq(struct syscall_call *c)
{
    (void)c;
    return -ENOSYS; /* libc then simply does without restartable sequences */
}

int64_t sys_arch_prctl(struct syscall_call *c)
{
    uint64_t addr = c->arg[1];
    switch (arg_int(c->arg[0])) {
    case ARCH_SET_FS:
        return thread_set_fs_base(c->thread, addr);
    case ARCH_GET_FS:
        return copy_to_user(addr, &c->thread->fs_base, sizeof(uint64_t));
    case ARCH_SET_GS:
    case ARCH_GET_GS:
        /* The kernel's GS handling (SWAPGS) does not preserve a user GS base yet. */
        return -EINVAL;
    default:
        return -EINVAL;
    }
}

/* --- limits ------------------------------------------------------------------- */

static int64_t do_prlimit(struct process *p, uint32_t resource, uint64_t new_addr, uint64_t old_addr)
{
    if (resource >= RLIM_NLIMITS)
        return -EINVAL;
    struct rlimit64 next;
    if (new_addr != 0) {
        int err = copy_from_user(&next, new_addr, sizeof next);
        if (err != 0)
            return err;
        if (next.cur > next.max)
            return -EINVAL;
        if (next.max > p->rlimits[resource].max)
            return -EPERM; /* raising the hard limit needs privileges we do not grant */
    }
    if (old_addr != 0) {
        int err = copy_to_user(old_addr, &p->rlimits[resource], sizeof p->rlimits[resource]);
        if (err != 0)
            return err;
    }
    if (new_addr != 0)
        p->rlimits[resource] = next;
    return 0;
}

int64_t sys_prlimit64(struct syscall_call *c)
{
    int32_t pid = arg_int(c->arg[0]);
    if (pid != 0 && pid != c->proc->pid)
        return -ESRCH;
    return do_prlimit(c->proc, (uint32_t)c->arg[1], c->arg[2], c->arg[3]);
}

int64_t sys_getrlimit(struct syscall_call *c)
{
    return do_prlimit(c->proc, (uint32_t)c->arg[0], 0, c->arg[1]);
}

int64_t sys_setrlimit(struct syscall_call *c)
{
    return do_prlimit(c->proc, (uint32_t)c->arg[0], c->arg[1], 0);
}

/* --- system information --------------------------------------------------------- */

int64_t sys_uname(struct syscall_call *c)
{
    static const char *const fields[6] = {
        "Linux", KERNEL_NODENAME, KERNEL_RELEASE, KERNEL_VERSION, "x86_64", "(none)",
    };
    char uts[6][UTS_FIELD];
    memset(uts, 0, sizeof uts);
    for (int i = 0; i < 6; i++)
        strlcpy(uts[i], fields[i], UTS_FIELD);
    return copy_to_user(c->arg[0], uts, sizeof uts);
}

int64_t sys_sysinfo(struct syscall_call *c)
{
    struct {
        int64_t uptime;
        uint64_t loads[3];
        uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
        uint16_t procs, pad;
        uint32_t pad2;
        uint64_t totalhigh, freehigh;
        uint32_t mem_unit;
        char reserved[4];
    } info;
    memset(&info, 0, sizeof info);
    info.uptime = (int64_t)(clock_monotonic_ns() / 1000000000ull);
    /* The memory the kernel manages, as /proc/meminfo's MemTotal (Linux's
     * totalram_pages: RAM less what the kernel itself took at boot). */
    info.totalram = pmm_total_pages() * PAGE_SIZE;
    info.freeram = pmm_free_pages() * PAGE_SIZE;
    info.procs = (uint16_t)thread_count(); /* Linux counts tasks */
    info.mem_unit = 1;
    return copy_to_user(c->arg[0], &info, sizeof info);
}

int64_t sys_getrusage(struct syscall_call *c)
{
    int32_t who = arg_int(c->arg[0]);
    if (who != 0 && who != -1 && who != 1) /* SELF, CHILDREN, THREAD */
        return -EINVAL;
    uint64_t usage[18];
    memset(usage, 0, sizeof usage);
    if (who != -1) {
        /* All time since boot counts as user time: there is nothing else running. */
        uint64_t us = clock_monotonic_ns() / 1000;
        usage[0] = us / 1000000;
        usage[1] = us % 1000000;
    }
    return copy_to_user(c->arg[1], usage, sizeof usage);
}

int64_t sys_getrandom(struct syscall_call *c)
{
    uint64_t buf = c->arg[0], len = c->arg[1];
    uint32_t flags = (uint32_t)c->arg[2];
    if (flags & ~(uint32_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
        return -EINVAL;
    if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
        return -EINVAL;
    if (len > MAX_RW_COUNT)
        len = MAX_RW_COUNT;
    if (!user_range_valid(buf, len))
        return -EFAULT;
    return random_to_user(buf, len);
}

/* --- futex (proc/futex.h) ----------------------------------------------------------- */

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_CLOCK_REALTIME 256

/* The monotonic deadline of a futex wait's timeout at `utime` (0: none):
 * relative for FUTEX_WAIT, absolute on the chosen clock for WAIT_BITSET. */
static int futex_deadline(uint64_t utime, int absolute, int realtime, uint64_t *deadline)
{
    *deadline = 0;
    if (utime == 0)
        return 0;
    uint64_t ns;
    int err = read_timespec(utime, &ns);
    if (err != 0)
        return err;
    uint64_t now = clock_monotonic_ns();
    if (absolute) {
        uint64_t clock_now = realtime ? clock_realtime_ns() : now;
        ns = ns > clock_now ? ns - clock_now : 0;
    }
    *deadline = now + ns < now ? UINT64_MAX : now + ns;
    if (*deadline == 0)
        *deadline = 1; /* already due */
    return 0;
}

int64_t sys_futex(struct syscall_call *c)
{
    uint64_t uaddr = c->arg[0], utime = c->arg[3], uaddr2 = c->arg[4];
    uint32_t op = (uint32_t)c->arg[1] & FUTEX_CMD_MASK;
    int realtime = (c->arg[1] & FUTEX_CLOCK_REALTIME) != 0;
    bool private_op = (c->arg[1] & FUTEX_PRIVATE_FLAG) != 0;
    uint32_t val = (uint32_t)c->arg[2], val3 = (uint32_t)c->arg[5];
    if (realtime && op != FUTEX_WAIT && op != FUTEX_WAIT_BITSET)
        return -ENOSYS;
    switch (op) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
        uint64_t deadline;
        int err = futex_deadline(utime, op == FUTEX_WAIT_BITSET, realtime, &deadline);
        if (err != 0)
            return err;
        return futex_wait(c->proc, private_op, uaddr, val, op == FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : val3,
                          deadline, deadline == 0);
    }
    case FUTEX_WAKE:
        return futex_wake(c->proc, private_op, uaddr, (int32_t)val, FUTEX_BITSET_MATCH_ANY);
    case FUTEX_WAKE_BITSET:
        return futex_wake(c->proc, private_op, uaddr, (int32_t)val, val3);
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
        return futex_requeue(c->proc, private_op, uaddr, uaddr2, (int32_t)val, (int32_t)utime,
                             op == FUTEX_CMP_REQUEUE, val3);
    case FUTEX_WAKE_OP:
        return futex_wake_op(c->proc, private_op, uaddr, uaddr2, (int32_t)val, (int32_t)utime, val3);
    default:
        /* Priority-inheritance futexes: glibc falls back (no PI mutexes). */
        ktrace("futex operation %u (priority inheritance) is not supported: ENOSYS", op);
        return -ENOSYS;
    }
}

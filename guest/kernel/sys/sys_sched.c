/*
 * Scheduling queries and settings: one CPU (CPU 0, node 0) and the normal
 * policy only. Settings an unprivileged process may make succeed and change
 * nothing (there is nothing to choose between); real-time ones are EPERM.
 */
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/uaccess.h"
#include "proc/process.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define SCHED_OTHER 0
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_BATCH 3
#define SCHED_IDLE 5
#define SCHED_DEADLINE 6
#define SCHED_RESET_ON_FORK 0x40000000
#define RT_PRIO_MAX 99

/* The CPU mask: one 64-bit word, CPU 0 set (what Linux copies out). */
#define CPUMASK_BYTES 8u

/* The process `pid` names (0: the caller), or NULL. */
static struct process *target(struct syscall_call *c, int32_t pid)
{
    return pid == 0 ? c->proc : pid > 0 ? process_find(pid) : 0;
}

int64_t sys_sched_getaffinity(struct syscall_call *c)
{
    /* Linux: room for every CPU (one here) and whole longs. */
    uint64_t len = c->arg[1];
    if (len == 0 || (len & 7) != 0)
        return -EINVAL;
    if (target(c, arg_int(c->arg[0])) == 0)
        return -ESRCH;
    uint64_t mask = 1;
    int err = copy_to_user(c->arg[2], &mask, CPUMASK_BYTES);
    return err != 0 ? err : (int64_t)CPUMASK_BYTES;
}

int64_t sys_sched_setaffinity(struct syscall_call *c)
{
    uint64_t len = c->arg[1], mask = 0;
    int err = copy_from_user(&mask, c->arg[2], len < CPUMASK_BYTES ? len : CPUMASK_BYTES);
    if (err != 0)
        return err;
    if (target(c, arg_int(c->arg[0])) == 0)
        return -ESRCH;
    return (mask & 1) ? 0 : -EINVAL; /* no CPU of the VM in the mask */
}

int64_t sys_getcpu(struct syscall_call *c)
{
    uint32_t zero = 0;
    for (int i = 0; i < 2; i++) {
        if (c->arg[i] != 0) {
            int err = copy_to_user(c->arg[i], &zero, sizeof zero);
            if (err != 0)
                return err;
        }
    }
    return 0;
}

static bool policy_known(int32_t policy)
{
    return policy == SCHED_OTHER || policy == SCHED_FIFO || policy == SCHED_RR ||
           policy == SCHED_BATCH || policy == SCHED_IDLE || policy == SCHED_DEADLINE;
}

static bool policy_real_time(int32_t policy)
{
    return policy == SCHED_FIFO || policy == SCHED_RR;
}

int64_t sys_sched_get_priority_max(struct syscall_call *c)
{
    int32_t policy = arg_int(c->arg[0]);
    if (!policy_known(policy))
        return -EINVAL;
    return policy_real_time(policy) ? RT_PRIO_MAX : 0;
}

int64_t sys_sched_get_priority_min(struct syscall_call *c)
{
    int32_t policy = arg_int(c->arg[0]);
    if (!policy_known(policy))
        return -EINVAL;
    return policy_real_time(policy) ? 1 : 0;
}

int64_t sys_sched_getscheduler(struct syscall_call *c)
{
    int32_t pid = arg_int(c->arg[0]);
    if (pid < 0)
        return -EINVAL;
    return target(c, pid) != 0 ? SCHED_OTHER : -ESRCH;
}

int64_t sys_sched_getparam(struct syscall_call *c)
{
    int32_t pid = arg_int(c->arg[0]);
    if (pid < 0 || c->arg[1] == 0)
        return -EINVAL;
    if (target(c, pid) == 0)
        return -ESRCH;
    int32_t priority = 0;
    return copy_to_user(c->arg[1], &priority, sizeof priority);
}

/* The normal policies take priority 0; the real-time ones 1..99 and a
 * privilege the program does not have (RLIMIT_RTPRIO 0). */
static int64_t set_policy(struct syscall_call *c, int32_t pid, int32_t policy, uint64_t uparam)
{
    if (pid < 0 || uparam == 0)
        return -EINVAL;
    int32_t priority;
    int err = copy_from_user(&priority, uparam, sizeof priority);
    if (err != 0)
        return err;
    if (target(c, pid) == 0)
        return -ESRCH;
    policy &= ~SCHED_RESET_ON_FORK;
    if (!policy_known(policy) || policy == SCHED_DEADLINE)
        return -EINVAL;
    if (policy_real_time(policy))
        return priority < 1 || priority > RT_PRIO_MAX ? -EINVAL : -EPERM;
    return priority == 0 ? 0 : -EINVAL;
}

int64_t sys_sched_setscheduler(struct syscall_call *c)
{
    return set_policy(c, arg_int(c->arg[0]), arg_int(c->arg[1]), c->arg[2]);
}

int64_t sys_sched_setparam(struct syscall_call *c)
{
    return set_policy(c, arg_int(c->arg[0]), SCHED_OTHER, c->arg[1]);
}

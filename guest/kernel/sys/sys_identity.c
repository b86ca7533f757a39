/*
 * The identity programs see: an ordinary user, PROCESS_UID/PROCESS_GID, with
 * no supplementary groups, that cannot become anyone else. Setting an id to
 * the one the process has succeeds, as for an unprivileged Linux process;
 * anything else is EPERM.
 */
#include "lib/errno.h"
#include "mm/uaccess.h"
#include "proc/process.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define NGROUPS_MAX 65536
#define ID_UNCHANGED 0xffffffffu /* -1 in the set*id calls */

int64_t sys_getuid(struct syscall_call *c)
{
    (void)c;
    return PROCESS_UID;
}

int64_t sys_geteuid(struct syscall_call *c)
{
    (void)c;
    return PROCESS_UID;
}

int64_t sys_getgid(struct syscall_call *c)
{
    (void)c;
    return PROCESS_GID;
}

int64_t sys_getegid(struct syscall_call *c)
{
    (void)c;
    return PROCESS_GID;
}

int64_t sys_setuid(struct syscall_call *c)
{
    return (uint32_t)c->arg[0] == PROCESS_UID ? 0 : -EPERM;
}

int64_t sys_setgid(struct syscall_call *c)
{
    return (uint32_t)c->arg[0] == PROCESS_GID ? 0 : -EPERM;
}

/* Each of `n` ids is -1 (unchanged) or `own`. */
static int64_t set_ids(const struct syscall_call *c, int n, uint32_t own)
{
    for (int i = 0; i < n; i++) {
        uint32_t id = (uint32_t)c->arg[i];
        if (id != ID_UNCHANGED && id != own)
            return -EPERM;
    }
    return 0;
}

int64_t sys_setreuid(struct syscall_call *c)
{
    return set_ids(c, 2, PROCESS_UID);
}

int64_t sys_setregid(struct syscall_call *c)
{
    return set_ids(c, 2, PROCESS_GID);
}

int64_t sys_setresuid(struct syscall_call *c)
{
    return set_ids(c, 3, PROCESS_UID);
}

int64_t sys_setresgid(struct syscall_call *c)
{
    return set_ids(c, 3, PROCESS_GID);
}

/* The real, effective and saved ids, all the same. */
static int64_t put_three(const struct syscall_call *c, uint32_t id)
{
    for (int i = 0; i < 3; i++) {
        int err = copy_to_user(c->arg[i], &id, sizeof id);
        if (err != 0)
            return err;
    }
    return 0;
}

int64_t sys_getresuid(struct syscall_call *c)
{
    return put_three(c, PROCESS_UID);
}

int64_t sys_getresgid(struct syscall_call *c)
{
    return put_three(c, PROCESS_GID);
}

/* setfsuid/setfsgid never fail: they return the previous id, which stays. */
int64_t sys_setfsuid(struct syscall_call *c)
{
    (void)c;
    return PROCESS_UID;
}

int64_t sys_setfsgid(struct syscall_call *c)
{
    (void)c;
    return PROCESS_GID;
}

int64_t sys_getgroups(struct syscall_call *c)
{
    return arg_int(c->arg[0]) < 0 ? -EINVAL : 0; /* no supplementary groups */
}

int64_t sys_setgroups(struct syscall_call *c)
{
    int32_t n = arg_int(c->arg[0]);
    return n < 0 || n > NGROUPS_MAX ? -EINVAL : -EPERM;
}

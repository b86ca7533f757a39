/* Small helpers the syscall files share. */
#ifndef KERNEL_SYS_SYS_COMMON_H
#define KERNEL_SYS_SYS_COMMON_H

#include "fs/fd.h"
#include "proc/process.h"

#include <stdint.h>

#define RLIMIT_NOFILE 7

/* Linux's MAX_RW_COUNT: one read/write moves at most this much. */
#define MAX_RW_COUNT 0x7ffff000ull

/* Descriptors must stay below this (RLIMIT_NOFILE, at most FD_MAX). */
static inline uint64_t fd_limit(const struct process *p)
{
    uint64_t cur = p->rlimits[RLIMIT_NOFILE].cur;
    return cur < FD_MAX ? cur : FD_MAX;
}

/* Syscall arguments declared `int` in C: the upper 32 bits are ignored. */
static inline int32_t arg_int(uint64_t v)
{
    return (int32_t)(uint32_t)v;
}

struct syscall_call;

/* A user timespec at `addr` as nanoseconds (UINT64_MAX past what fits):
 * 0, -EFAULT, or -EINVAL for a negative or unnormalized one. sys_time.c. */
int read_timespec(uint64_t addr, uint64_t *ns);

/* utimensat's work once the times are in the kernel (atime sec, nsec, mtime
 * sec, nsec; UTIME_NOW/UTIME_OMIT in nsec): a path at dirfd, or the file at
 * dirfd for a NULL path (or an empty one with AT_EMPTY_PATH). sys_path.c. */
int64_t do_utimensat(struct syscall_call *c, int32_t dirfd, uint64_t upath,
                     const int64_t times[4], uint32_t flags);

#endif

/* The older ways to set file times: utime, utimes, futimesat (in terms of
 * utimensat, sys_path.c). */
#include "lib/errno.h"
#include "mm/uaccess.h"
#include "fs/file.h"
#include "fs/path.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define USEC_PER_SEC 1000000
#define NSEC_PER_USEC 1000

struct timeval64 {
    int64_t sec, usec;
};

/* times[4] from a user struct timeval[2] (NULL: now), or -EINVAL / -EFAULT. */
static int times_from_timevals(uint64_t utv, int64_t times[4])
{
    if (utv == 0) {
        times[0] = times[2] = 0;
        times[1] = times[3] = UTIME_NOW;
        return 0;
    }
    struct timeval64 tv[2];
    int err = copy_from_user(tv, utv, sizeof tv);
    if (err != 0)
        return err;
    for (int i = 0; i < 2; i++) {
        if (tv[i].usec < 0 || tv[i].usec >= USEC_PER_SEC)
            return -EINVAL;
        times[2 * i] = tv[i].sec;
        times[2 * i + 1] = tv[i].usec * NSEC_PER_USEC;
    }
    return 0;
}

int64_t sys_utime(struct syscall_call *c)
{
    /* struct utimbuf { time_t actime, modtime; }; NULL: now. */
    int64_t times[4] = {0, UTIME_NOW, 0, UTIME_NOW};
    if (c->arg[1] != 0) {
        int64_t buf[2];
        int err = copy_from_user(buf, c->arg[1], sizeof buf);
        if (err != 0)
            return err;
        times[0] = buf[0];
        times[1] = 0;
        times[2] = buf[1];
        times[3] = 0;
    }
    if (c->arg[0] == 0)
        return -EFAULT;
    return do_utimensat(c, AT_FDCWD, c->arg[0], times, 0);
}

int64_t sys_utimes(struct syscall_call *c)
{
    int64_t times[4];
    int err = times_from_timevals(c->arg[1], times);
    if (err != 0)
        return err;
    if (c->arg[0] == 0)
        return -EFAULT;
    return do_utimensat(c, AT_FDCWD, c->arg[0], times, 0);
}

int64_t sys_futimesat(struct syscall_call *c)
{
    int64_t times[4];
    int err = times_from_timevals(c->arg[2], times);
    if (err != 0)
        return err;
    /* A NULL path: the file at dirfd itself, as utimensat's. */
    return do_utimensat(c, arg_int(c->arg[0]), c->arg[1], times, 0);
}

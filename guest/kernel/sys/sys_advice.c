/* Hints about how a file will be read: posix_fadvise and readahead. The host
 * reads ahead by itself; the calls check their arguments as Linux and succeed. */
#include "fs/fd.h"
#include "fs/file.h"
#include "lib/errno.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define POSIX_FADV_NOREUSE 5 /* the last advice value */

static bool is_pipe(struct file *f)
{
    struct fileio_stat st;
    return f->ops->stat != 0 && f->ops->stat(f, &st) == 0 && (st.mode & S_IFMT) == S_IFIFO;
}

int64_t sys_fadvise64(struct syscall_call *c)
{
    struct file *f = fd_get(c->proc->fds, arg_int(c->arg[0]));
    if (f == 0 || (f->flags & O_PATH))
        return -EBADF;
    if (is_pipe(f))
        return -ESPIPE;
    uint32_t advice = (uint32_t)arg_int(c->arg[3]);
    if (advice > POSIX_FADV_NOREUSE || (int64_t)c->arg[2] < 0)
        return -EINVAL;
    return 0;
}

int64_t sys_readahead(struct syscall_call *c)
{
    struct file *f = fd_get(c->proc->fds, arg_int(c->arg[0]));
    if (f == 0 || !file_readable(f))
        return -EBADF;
    /* Only regular files can be read ahead (Linux: EINVAL for the rest). */
    struct fileio_stat st;
    if (f->ops->stat == 0 || f->ops->stat(f, &st) != 0 || (st.mode & S_IFMT) != S_IFREG)
        return -EINVAL;
    return 0;
}

/* pipe and pipe2 (fs/pipe.c holds the pipe itself). */
#include "fs/fd.h"
#include "fs/file.h"
#include "fs/pipe.h"
#include "lib/errno.h"
#include "mm/uaccess.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define O_DIRECT 040000

static int64_t do_pipe2(struct syscall_call *c, uint64_t ufds, uint32_t flags)
{
    if (flags & ~(uint32_t)(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
        return -EINVAL;
    struct file *ends[2];
    int err = pipe_create(flags & O_NONBLOCK, &ends[0], &ends[1]);
    if (err != 0)
        return err;
    struct process *p = c->proc;
    uint8_t fd_flags = (flags & O_CLOEXEC) ? FD_CLOEXEC : 0;
    int32_t fds[2] = {-1, -1};
    for (int i = 0; i < 2; i++) {
        fds[i] = fd_install(p->fds, ends[i], 0, fd_flags, fd_limit(p));
        if (fds[i] < 0) {
            err = fds[i];
            break;
        }
    }
    if (err == 0)
        err = copy_to_user(ufds, fds, sizeof fds);
    if (err != 0) {
        /* Nothing is left behind: descriptors closed, or files dropped. */
        for (int i = 0; i < 2; i++) {
            if (fds[i] >= 0)
                fd_close(p->fds, fds[i]);
            else
                file_put(ends[i]);
        }
        return err;
    }
    return 0;
}

int64_t sys_pipe(struct syscall_call *c)
{
    return do_pipe2(c, c->arg[0], 0);
}

int64_t sys_pipe2(struct syscall_call *c)
{
    return do_pipe2(c, c->arg[0], (uint32_t)c->arg[1]);
}

/* Syscalls on file descriptors: reading, writing, seeking, duplicating. */
#include "arch/percpu.h"
#include "fs/fd.h"
#include "fs/file.h"
#include "lib/errno.h"
#include "mm/uaccess.h"
#include "proc/signal.h"
#include "proc/thread.h"
#include "sys/sys_common.h"
#include "sys/sys_lock.h"
#include "sys/syscall.h"

#define IOV_MAX 1024
#define SSIZE_MAX 0x7fffffffffffffffll

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030

#define FIONCLEX 0x5450
#define FIOCLEX 0x5451

struct iovec64 {
    uint64_t base;
    uint64_t len;
};

static struct file *file_for(struct syscall_call *c, uint64_t fd)
{
    return fd_get(c->proc->fds, arg_int(fd));
}

static uint64_t cap_count(uint64_t count)
{
    return count > MAX_RW_COUNT ? MAX_RW_COUNT : count;
}

static int64_t do_read(struct file *f, uint64_t buf, uint64_t count, int64_t offset)
{
    if (f == 0 || !file_readable(f))
        return -EBADF;
    if (f->ops->read == 0)
        return -EINVAL;
    if (!user_range_valid(buf, count))
        return -EFAULT;
    return f->ops->read(f, buf, cap_count(count), offset);
}

static int64_t do_write(struct file *f, uint64_t buf, uint64_t count, int64_t offset)
{
    if (f == 0 || !file_writable(f))
        return -EBADF;
    if (f->ops->write == 0)
        return -EINVAL;
    if (!user_range_valid(buf, count))
        return -EFAULT;
    int64_t n = f->ops->write(f, buf, cap_count(count), offset);
    /* No reader (a pipe, or the host's stdout closed): Linux raises SIGPIPE,
     * whose default action ends the program. */
    if (n == -EPIPE)
        signal_send_thread(current_thread(), SIGPIPE, 0);
    return n;
}

int64_t sys_read(struct syscall_call *c)
{
    return do_read(file_for(c, c->arg[0]), c->arg[1], c->arg[2], -1);
}

int64_t sys_write(struct syscall_call *c)
{
    return do_write(file_for(c, c->arg[0]), c->arg[1], c->arg[2], -1);
}

int64_t sys_pread64(struct syscall_call *c)
{
    if ((int64_t)c->arg[3] < 0)
        return -EINVAL;
    return do_read(file_for(c, c->arg[0]), c->arg[1], c->arg[2], (int64_t)c->arg[3]);
}

int64_t sys_pwrite64(struct syscall_call *c)
{
    if ((int64_t)c->arg[3] < 0)
        return -EINVAL;
    return do_write(file_for(c, c->arg[0]), c->arg[1], c->arg[2], (int64_t)c->arg[3]);
}

/* readv/writev: each buffer in turn, stopping at the first short transfer. */
static int64_t do_vector(struct syscall_call *c, bool is_write)
{
    struct file *f = file_for(c, c->arg[0]);
    uint64_t iov_addr = c->arg[1];
    int32_t iovcnt = arg_int(c->arg[2]);
    if (f == 0)
        return -EBADF;
    if (iovcnt < 0 || iovcnt > IOV_MAX)
        return -EINVAL;
    int64_t total = 0;
    uint64_t sum = 0;
    /* Validate every length first, as Linux does (EINVAL beats partial I/O). */
    for (int32_t i = 0; i < iovcnt; i++) {
        struct iovec64 iov;
        int err = copy_from_user(&iov, iov_addr + (uint64_t)i * sizeof iov, sizeof iov);
        if (err != 0)
            return err;
        if ((int64_t)iov.len < 0 || iov.len > (uint64_t)SSIZE_MAX - sum)
            return -EINVAL;
        sum += iov.len;
    }
    for (int32_t i = 0; i < iovcnt; i++) {
        struct iovec64 iov;
        int err = copy_from_user(&iov, iov_addr + (uint64_t)i * sizeof iov, sizeof iov);
        if (err != 0)
            return total > 0 ? total : err;
        if (iov.len == 0)
            continue;
        uint64_t want = cap_count(iov.len);
        int64_t n = is_write ? do_write(f, iov.base, want, -1) : do_read(f, iov.base, want, -1);
        if (n < 0)
            return total > 0 ? total : n;
        total += n;
        if ((uint64_t)n < iov.len || (uint64_t)total >= MAX_RW_COUNT)
            break;
    }
    return total;
}

int64_t sys_readv(struct syscall_call *c)
{
    return do_vector(c, false);
}

int64_t sys_writev(struct syscall_call *c)
{
    return do_vector(c, true);
}

int64_t sys_lseek(struct syscall_call *c)
{
    struct file *f = file_for(c, c->arg[0]);
    int32_t whence = arg_int(c->arg[2]);
    if (f == 0)
        return -EBADF;
    if (whence < 0 || whence > 4) /* SEEK_SET..SEEK_HOLE */
        return -EINVAL;
    if (f->ops->lseek == 0)
        return -ESPIPE;
    return f->ops->lseek(f, (int64_t)c->arg[1], whence);
}

int64_t sys_close(struct syscall_call *c)
{
    return fd_close(c->proc->fds, arg_int(c->arg[0]));
}

#define CLOSE_RANGE_UNSHARE 2 /* the table is the process's own already */
#define CLOSE_RANGE_CLOEXEC 4

/* Closes (or marks FD_CLOEXEC) every open descriptor in [first, last]. */
int64_t sys_close_range(struct syscall_call *c)
{
    uint32_t first = (uint32_t)c->arg[0], last = (uint32_t)c->arg[1];
    uint32_t flags = (uint32_t)c->arg[2];
    if ((flags & ~(uint32_t)(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0 || first > last)
        return -EINVAL;
    struct fd_table *t = c->proc->fds;
    uint32_t end = last < t->end ? last + 1 : t->end; /* none open beyond t->end */
    for (uint32_t fd = first; fd < end; fd++) {
        if (t->files[fd] == 0)
            continue;
        if (flags & CLOSE_RANGE_CLOEXEC)
            t->fd_flags[fd] |= FD_CLOEXEC;
        else
            fd_close(t, fd);
    }
    return 0;
}

static int64_t dup_from(struct syscall_call *c, struct file *f, int min_fd, uint8_t fd_flags)
{
    if (min_fd < 0 || (uint64_t)min_fd >= fd_limit(c->proc))
        return -EINVAL;
    file_get(f);
    int fd = fd_install(c->proc->fds, f, min_fd, fd_flags, fd_limit(c->proc));
    if (fd < 0)
        file_put(f);
    return fd;
}

int64_t sys_dup(struct syscall_call *c)
{
    struct file *f = file_for(c, c->arg[0]);
    if (f == 0)
        return -EBADF;
    return dup_from(c, f, 0, 0);
}

static int64_t dup_to(struct syscall_call *c, int32_t oldfd, int32_t newfd, uint8_t fd_flags)
{
    struct file *f = fd_get(c->proc->fds, oldfd);
    if (f == 0)
        return -EBADF;
    if (newfd < 0 || (uint64_t)newfd >= fd_limit(c->proc))
        return -EBADF;
    fd_install_at(c->proc->fds, newfd, f, fd_flags);
    return newfd;
}

int64_t sys_dup2(struct syscall_call *c)
{
    int32_t oldfd = arg_int(c->arg[0]), newfd = arg_int(c->arg[1]);
    if (oldfd == newfd)
        return fd_get(c->proc->fds, oldfd) != 0 ? newfd : -EBADF;
    return dup_to(c, oldfd, newfd, 0);
}

int64_t sys_dup3(struct syscall_call *c)
{
    int32_t oldfd = arg_int(c->arg[0]), newfd = arg_int(c->arg[1]);
    uint32_t flags = (uint32_t)c->arg[2];
    if ((flags & ~O_CLOEXEC) != 0 || oldfd == newfd)
        return -EINVAL;
    return dup_to(c, oldfd, newfd, (flags & O_CLOEXEC) ? FD_CLOEXEC : 0);
}

int64_t sys_fcntl(struct syscall_call *c)
{
    struct fd_table *t = c->proc->fds;
    int32_t fd = arg_int(c->arg[0]);
    struct file *f = fd_get(t, fd);
    if (f == 0)
        return -EBADF;
    uint64_t arg = c->arg[2];
    switch (arg_int(c->arg[1])) {
    case F_DUPFD:
        return dup_from(c, f, arg_int(arg), 0);
    case F_DUPFD_CLOEXEC:
        return dup_from(c, f, arg_int(arg), FD_CLOEXEC);
    case F_GETFD:
        return t->fd_flags[fd];
    case F_SETFD:
        t->fd_flags[fd] = (arg & FD_CLOEXEC) ? FD_CLOEXEC : 0;
        return 0;
    case F_GETFL:
        return f->flags & ~O_CLOEXEC;
    case F_SETFL: {
        /* Only these may change. Kept in the kernel's view: the host
         * descriptor keeps the flags it was opened with. */
        const uint32_t changeable = O_APPEND | O_NONBLOCK;
        f->flags = (f->flags & ~changeable) | ((uint32_t)arg & changeable);
        return 0;
    }
    default:
        if (fcntl_is_lock_command(arg_int(c->arg[1])))
            return fcntl_lock(c, f, arg_int(c->arg[1]), arg);
        return -EINVAL;
    }
}

int64_t sys_ioctl(struct syscall_call *c)
{
    struct fd_table *t = c->proc->fds;
    int32_t fd = arg_int(c->arg[0]);
    struct file *f = fd_get(t, fd);
    uint32_t cmd = (uint32_t)c->arg[1];
    if (f == 0 || (f->flags & O_PATH)) /* an O_PATH fd is not open for I/O */
        return -EBADF;
    if (cmd == FIOCLEX || cmd == FIONCLEX) {
        t->fd_flags[fd] = cmd == FIOCLEX ? FD_CLOEXEC : 0;
        return 0;
    }
    if (f->ops->ioctl == 0)
        return -ENOTTY;
    return f->ops->ioctl(f, cmd, c->arg[2]);
}

int64_t sys_getdents64(struct syscall_call *c)
{
    struct file *f = file_for(c, c->arg[0]);
    if (f == 0)
        return -EBADF;
    if (f->ops->getdents64 == 0)
        return -ENOTDIR;
    if (!user_range_valid(c->arg[1], c->arg[2]))
        return -EFAULT;
    return f->ops->getdents64(f, c->arg[1], cap_count(c->arg[2]));
}

static int64_t do_fsync(struct syscall_call *c)
{
    struct file *f = file_for(c, c->arg[0]);
    if (f == 0)
        return -EBADF;
    if (f->ops->fsync == 0)
        return -EINVAL; /* a terminal or pipe */
    return f->ops->fsync(f);
}

int64_t sys_fsync(struct syscall_call *c)
{
    return do_fsync(c);
}

int64_t sys_fdatasync(struct syscall_call *c)
{
    return do_fsync(c);
}

int64_t sys_ftruncate(struct syscall_call *c)
{
    struct file *f = file_for(c, c->arg[0]);
    if (f == 0)
        return -EBADF;
    if ((int64_t)c->arg[1] < 0 || f->ops->truncate == 0 || !file_writable(f))
        return -EINVAL;
    return f->ops->truncate(f, c->arg[1]);
}

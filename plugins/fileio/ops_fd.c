/* Operations on an open handle. */
#include "fileio_state.h"

#include "common/sg.h"
#include "stat_conv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

/* The host fd behind a handle, or -EBADF. */
static int handle_fd(const struct fileio *f, int32_t h)
{
    const struct handle *e = handles_get(&f->handles, h);
    return e != NULL ? e->fd : -EBADF;
}

int64_t fileio_close(struct fileio *f, struct fileio_args *a)
{
    return handles_close(&f->handles, a->handle);
}

/* READ and WRITE: straight between the file and guest RAM, segment by segment. */
static int64_t transfer(struct fileio *f, struct fileio_args *a, bool is_write)
{
    int fd = handle_fd(f, a->handle);
    if (fd < 0)
        return fd;
    if (a->offset < -1)
        return -EINVAL;
    struct iovec iov[MINIVM_SG_MAX];
    int64_t total = sg_to_iovec(&f->host, a->seg, a->nseg, iov);
    if (total < 0)
        return total;
    int n = (int)a->nseg;
    for (;;) {
        ssize_t r;
        /* offset -1: the file position (preadv2/pwritev2 semantics), so one
         * system call each serves both cases. */
        r = is_write ? pwritev2(fd, iov, n, a->offset, 0) : preadv2(fd, iov, n, a->offset, 0);
        if (r >= 0)
            return r;
        if (errno != EINTR)
            return -errno;
    }
}

int64_t fileio_read(struct fileio *f, struct fileio_args *a)
{
    return transfer(f, a, false);
}

int64_t fileio_write(struct fileio *f, struct fileio_args *a)
{
    return transfer(f, a, true);
}

int64_t fileio_lseek(struct fileio *f, struct fileio_args *a)
{
    int fd = handle_fd(f, a->handle);
    if (fd < 0)
        return fd;
    off_t r = lseek(fd, a->offset, a->whence);
    return r >= 0 ? r : -errno;
}

int64_t fileio_fstat(struct fileio *f, struct fileio_args *a)
{
    int fd = handle_fd(f, a->handle);
    if (fd < 0)
        return fd;
    struct stat st;
    if (fstatat(fd, "", &st, AT_EMPTY_PATH) != 0)
        return -errno;
    stat_to_fileio(&st, &a->stat);
    return 0;
}

/* linux_dirent64 records are the same for host and guest (both Linux x86-64),
 * so they are passed on as the kernel wrote them. */
int64_t fileio_getdents(struct fileio *f, struct fileio_args *a)
{
    int fd = handle_fd(f, a->handle);
    if (fd < 0)
        return fd;
    if (a->nseg != 1)
        return -EINVAL;
    struct iovec iov[1];
    int64_t len = sg_to_iovec(&f->host, a->seg, 1, iov);
    if (len < 0)
        return len;
    /* A smaller count just returns fewer records; the guest asks again. */
    size_t count = (size_t)len < sizeof f->dirents ? (size_t)len : sizeof f->dirents;
    ssize_t n;
    do {
        n = getdents64(fd, f->dirents, count);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -errno;
    memcpy(iov[0].iov_base, f->dirents, (size_t)n);
    return n;
}

int64_t fileio_ftruncate(struct fileio *f, struct fileio_args *a)
{
    int fd = handle_fd(f, a->handle);
    if (fd < 0)
        return fd;
    if (a->offset < 0)
        return -EINVAL;
    return ftruncate(fd, a->offset) == 0 ? 0 : -errno;
}

int64_t fileio_mount_info(struct fileio *f, struct fileio_args *a)
{
    size_t len = strlen(f->mount_point);
    if (a->nseg != 1 || a->seg[0].len < len)
        return -EINVAL;
    if (f->host.api->copy_to_guest(f->host.ctx, a->seg[0].gpa, f->mount_point, len) != 0)
        return -EFAULT;
    return (int64_t)len | (f->writable ? FILEIO_MOUNT_WRITABLE : 0);
}

int64_t fileio_fsync(struct fileio *f, struct fileio_args *a)
{
    int fd = handle_fd(f, a->handle);
    if (fd < 0)
        return fd;
    /* Nothing written through a read-only root can be waiting to reach the
     * disk: succeed, as Linux does for a file on a read-only mount. The
     * host's fsync is a writable root's grant only. */
    if (!f->writable)
        return 0;
    return fsync(fd) == 0 ? 0 : -errno;
}

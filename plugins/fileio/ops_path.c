/* Operations that look a path up: open, stat, access, readlink, utimens. */
#include "fileio_state.h"

#include "common/sg.h"
#include "path.h"
#include "stat_conv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Linux's O_LARGEFILE bit. glibc defines O_LARGEFILE as 0 on x86-64 (it is
 * implied there), but a guest's musl passes the bit, so it is spelled out. */
#define LINUX_O_LARGEFILE 0100000

/* Open flags a guest may pass. Left out on purpose: O_ASYNC (would aim SIGIO
 * at the VMM), O_DIRECT (alignment rules the guest cannot see), O_TMPFILE
 * (see below) and any bit Linux does not define. O_LARGEFILE is accepted and
 * dropped (always on for 64-bit); O_CLOEXEC likewise (always added). This is
 * the one place that handles them: the guest kernel passes them through. */
#define OPEN_ALLOWED                                                                      \
    (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC | \
     O_SYNC | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | LINUX_O_LARGEFILE | O_NOATIME | O_PATH)
/* What open(2) honours next to O_PATH; it ignores the rest, openat2 refuses it. */
#define OPEN_PATH_KEEP (O_PATH | O_DIRECTORY | O_NOFOLLOW)
/* Flags that need a writable VM. */
#define OPEN_MODIFYING (O_CREAT | O_TRUNC | O_APPEND)

/* The host flags for a guest's open flags, or -errno. */
static int64_t open_flags(const struct fileio *f, uint32_t flags)
{
    /* O_TMPFILE is a bit of its own plus O_DIRECTORY; test the bit alone. */
    if ((flags & (O_TMPFILE & ~O_DIRECTORY)) != 0)
        return -EOPNOTSUPP; /* programs fall back to a named temporary file */
    if ((flags & ~(uint32_t)OPEN_ALLOWED) != 0 || (flags & O_ACCMODE) == O_ACCMODE)
        return -EINVAL;
    if ((flags & O_PATH) != 0)
        return flags & OPEN_PATH_KEEP;
    if (!f->writable && ((flags & O_ACCMODE) != O_RDONLY || (flags & OPEN_MODIFYING) != 0))
        return -EROFS;
    /* O_NONBLOCK for the open itself: a FIFO in the root must not hang the vCPU
     * before we can see it is one. O_NOCTTY: never acquire a controlling tty. */
    return (flags & ~(uint32_t)(LINUX_O_LARGEFILE | O_CLOEXEC)) | O_NOCTTY | O_NONBLOCK;
}

int64_t fileio_open(struct fileio *f, struct fileio_args *a)
{
    int64_t host_flags = open_flags(f, a->flags);
    if (host_flags < 0)
        return host_flags;
    int32_t h = handles_free_slot(&f->handles);
    if (h < 0)
        return h;
    int err = path_copy(&f->host, a->path_gpa, a->path_len, f->path);
    if (err != 0)
        return err;
    if (f->path[0] == '\0')
        return -ENOENT;
    uint64_t mode = (a->flags & O_CREAT) != 0 ? (a->mode & 07777) : 0;
    int fd = path_openat(f, path_in_root(f->path), (uint64_t)host_flags, mode);
    if (fd < 0)
        return fd;

    struct stat st;
    if (fstatat(fd, "", &st, AT_EMPTY_PATH) != 0) {
        err = -errno;
        close(fd);
        return err;
    }
    bool is_path = (a->flags & O_PATH) != 0;
    /* Only regular files and directories: FIFOs, sockets and device nodes in
     * the root could block the vCPU or reach host devices. O_PATH handles are
     * harmless (no I/O through them). */
    if (!is_path && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        close(fd);
        return -ENXIO;
    }
    /* The O_NONBLOCK of the open stays: it changes nothing for the regular
     * files and directories kept, and restoring it would cost a system call
     * in the seccomp allow-list. */
    handles_set(&f->handles, h, fd, S_ISDIR(st.st_mode));
    return h;
}

/* The fd an empty path with AT_EMPTY_PATH refers to: `dir` itself, which may
 * be the root or any handle (fstatat(fd, "", AT_EMPTY_PATH) is fstat). */
static int empty_path_fd(const struct fileio *f, int32_t dir)
{
    if (dir == FILEIO_DIR_ROOT)
        return f->root_fd;
    const struct handle *h = handles_get(&f->handles, dir);
    return h != NULL ? h->fd : -EBADF;
}

/*
 * The O_PATH fd for the object a (dir, path, flags) triple names; *owned says
 * whether the caller must close it. Handles AT_EMPTY_PATH and
 * AT_SYMLINK_NOFOLLOW; `allowed` lists the other AT_* flags the op accepts.
 */
static int object_fd(struct fileio *f, const struct fileio_args *a, uint32_t allowed,
                     bool *owned)
{
    *owned = false;
    if ((a->flags & ~(allowed | AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) != 0)
        return -EINVAL;
    if (a->path_len == 0 && (a->flags & AT_EMPTY_PATH) != 0)
        return empty_path_fd(f, a->dir);
    int fd = path_open_object(f, a->path_gpa, a->path_len,
                              (a->flags & AT_SYMLINK_NOFOLLOW) != 0, f->path);
    *owned = fd >= 0;
    return fd;
}

int64_t fileio_stat(struct fileio *f, struct fileio_args *a)
{
    bool owned;
    int fd = object_fd(f, a, 0, &owned);
    if (fd < 0)
        return fd;
    struct stat st;
    int r = fstatat(fd, "", &st, AT_EMPTY_PATH) == 0 ? 0 : -errno;
    if (owned)
        close(fd);
    if (r == 0)
        stat_to_fileio(&st, &a->stat);
    return r;
}

int64_t fileio_access(struct fileio *f, struct fileio_args *a)
{
    if ((a->mode & ~(uint32_t)(R_OK | W_OK | X_OK)) != 0)
        return -EINVAL;
    bool owned;
    int fd = object_fd(f, a, AT_EACCESS, &owned);
    if (fd < 0)
        return fd;
    int r;
    if ((a->mode & W_OK) != 0 && !f->writable)
        r = -EROFS; /* after the lookup: a missing file is still ENOENT */
    else
        r = syscall(SYS_faccessat2, fd, "", (int)a->mode, AT_EMPTY_PATH | (a->flags & AT_EACCESS)) == 0
                ? 0
                : -errno;
    if (owned)
        close(fd);
    return r;
}

int64_t fileio_readlink(struct fileio *f, struct fileio_args *a)
{
    if (a->nseg != 1)
        return -EINVAL;
    struct iovec iov[1];
    int64_t len = sg_to_iovec(&f->host, a->seg, 1, iov);
    if (len < 0)
        return len;
    const char *last;
    int parent = path_open_parent(f, a->path_gpa, a->path_len, f->path, &last);
    if (parent < 0)
        return parent;
    /* Straight into the guest's buffer; readlinkat never follows `last`. */
    ssize_t n = readlinkat(parent, last, iov[0].iov_base, iov[0].iov_len);
    int64_t r = n >= 0 ? n : -errno;
    close(parent);
    return r;
}

static bool valid_nsec(int64_t nsec)
{
    return (nsec >= 0 && nsec <= 999999999) || nsec == UTIME_NOW || nsec == UTIME_OMIT;
}

int64_t fileio_utimens(struct fileio *f, struct fileio_args *a)
{
    if ((a->flags & ~(uint32_t)(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) != 0 ||
        !valid_nsec(a->times[1]) || !valid_nsec(a->times[3]))
        return -EINVAL;
    const struct timespec ts[2] = {
        {.tv_sec = a->times[0], .tv_nsec = a->times[1]},
        {.tv_sec = a->times[2], .tv_nsec = a->times[3]},
    };
    int fd;
    bool owned = false;
    if (a->path_len == 0) {
        /* The ABI's "handle with empty path": futimens() on an open handle. */
        const struct handle *h = handles_get(&f->handles, a->handle);
        fd = h != NULL ? h->fd : -EBADF;
    } else {
        fd = path_open_object(f, a->path_gpa, a->path_len,
                              (a->flags & AT_SYMLINK_NOFOLLOW) != 0, f->path);
        owned = fd >= 0;
    }
    if (fd < 0)
        return fd;
    int r = utimensat(fd, "", ts, AT_EMPTY_PATH) == 0 ? 0 : -errno;
    if (owned)
        close(fd);
    return r;
}

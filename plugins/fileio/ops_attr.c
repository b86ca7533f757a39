/* Operations on a file's attributes: mode, owner, and the statfs of the
 * filesystem it lives on. Each acts on a path (resolved beneath the mount
 * like every other) or, with an empty path, on an open handle. A missing
 * object is ENOENT (its lookup comes first) even where the answer needs no
 * host call. */
#include "fileio_state.h"

#include "path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452 /* Linux 6.6; older C headers lack the name */
#endif

/* statvfs flags Linux reports in f_flags (ST_*); anything else is dropped. */
#define STATFS_FLAGS_KNOWN 0x3fffu
#define STATFS_RDONLY 0x0001u
#define STATFS_VALID 0x0020u

/*
 * The fd the operation applies to: the open handle for an empty path, else
 * an O_PATH fd of the object the path names (its last symlink followed
 * unless AT_SYMLINK_NOFOLLOW). *owned says whether the caller closes it.
 */
static int target_fd(struct fileio *f, const struct fileio_args *a, bool *owned)
{
    *owned = false;
    if ((a->flags & ~(uint32_t)AT_SYMLINK_NOFOLLOW) != 0)
        return -EINVAL;
    if (a->path_len == 0) {
        const struct handle *h = handles_get(&f->handles, a->handle);
        return h != NULL ? h->fd : -EBADF;
    }
    int fd = path_open_object(f, a->path_gpa, a->path_len,
                              (a->flags & AT_SYMLINK_NOFOLLOW) != 0, f->path);
    *owned = fd >= 0;
    return fd;
}

/* chmod of exactly the object `fd` refers to, whatever kind of fd it is. */
static int chmod_fd(int fd, mode_t mode)
{
    if (syscall(SYS_fchmodat2, fd, "", mode, AT_EMPTY_PATH) == 0)
        return 0;
    if (errno != ENOSYS)
        return -errno;
    /* Before Linux 6.6 only the fd's /proc link names an O_PATH fd's object
     * for chmod (what glibc's fchmodat does too); it leads to that very
     * object, so nothing is looked up by name again. */
    char link[32];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    return syscall(SYS_fchmodat, AT_FDCWD, link, mode) == 0 ? 0 : -errno;
}

int64_t fileio_chmod(struct fileio *f, struct fileio_args *a)
{
    bool owned;
    int fd = target_fd(f, a, &owned);
    if (fd < 0)
        return fd;
    struct stat st;
    int r = fstatat(fd, "", &st, AT_EMPTY_PATH) == 0 ? 0 : -errno;
    if (r == 0)
        r = S_ISLNK(st.st_mode) ? -EOPNOTSUPP : chmod_fd(fd, a->mode & 07777);
    if (owned)
        close(fd);
    return r;
}

int64_t fileio_chown(struct fileio *f, struct fileio_args *a)
{
    bool owned;
    int fd = target_fd(f, a, &owned);
    if (fd < 0)
        return fd;
    /* (uid_t)-1 / (gid_t)-1 leave the id as it is, as chown(2)'s -1 does. */
    int r = syscall(SYS_fchownat, fd, "", (uid_t)a->uid, (gid_t)a->gid, AT_EMPTY_PATH) == 0
                ? 0
                : -errno;
    if (owned)
        close(fd);
    return r;
}

int64_t fileio_statfs(struct fileio *f, struct fileio_args *a)
{
    if (a->nseg != 1 || a->seg[0].len < sizeof(struct fileio_statfs))
        return -EINVAL;
    bool owned;
    int fd = target_fd(f, a, &owned);
    if (fd < 0)
        return fd;
    /* A read-only root answers from the figures taken at start-up (fileio.c):
     * the guest cannot change them itself, and the default sandbox stays
     * without fstatfs. An object on another host filesystem beneath the
     * root then reports the root's. */
    struct statfs st = f->root_statfs;
    int r = f->writable && fstatfs(fd, &st) != 0 ? -errno : 0;
    if (owned)
        close(fd);
    if (r != 0)
        return r;
    struct fileio_statfs out;
    memset(&out, 0, sizeof out);
    out.type = st.f_type;
    out.bsize = st.f_bsize;
    out.blocks = st.f_blocks;
    out.bfree = st.f_bfree;
    out.bavail = st.f_bavail;
    out.files = st.f_files;
    out.ffree = st.f_ffree;
    memcpy(out.fsid, &st.f_fsid, sizeof out.fsid);
    out.namelen = st.f_namelen;
    out.frsize = st.f_frsize;
    /* The mount as the guest has it: read-only unless the VM may write. */
    out.flags = (st.f_flags & STATFS_FLAGS_KNOWN) | STATFS_VALID |
                (f->writable ? 0 : STATFS_RDONLY);
    if (f->host.api->copy_to_guest(f->host.ctx, a->seg[0].gpa, &out, sizeof out) != 0)
        return -EFAULT;
    return 0;
}

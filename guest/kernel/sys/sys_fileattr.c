/* A file's mode and owner: chmod, fchmod, fchmodat, fchmodat2, chown, fchown,
 * lchown, fchownat (fs/attr.h does the work). */
#include "fs/attr.h"
#include "fs/fd.h"
#include "fs/file.h"
#include "fs/path.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/uaccess.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

/* One CPU and no kernel preemption: one pair of path buffers is enough. */
static char user_copy[FILEIO_PATH_MAX];
static char resolved[FILEIO_PATH_MAX];

/* What a (dirfd, path, flags) triple names: a path in `resolved` (0), or,
 * for an empty path with AT_EMPTY_PATH, the open file at dirfd (*file). */
static int target_at(struct syscall_call *c, int32_t dirfd, uint64_t upath, uint32_t flags,
                     struct file **file)
{
    *file = 0;
    int64_t len = strncpy_from_user(user_copy, upath, FILEIO_PATH_MAX);
    if (len < 0)
        return (int)len;
    if (len == 0) {
        if (!(flags & AT_EMPTY_PATH))
            return -ENOENT;
        if (dirfd == AT_FDCWD) {
            strlcpy(resolved, c->proc->cwd_path, sizeof resolved);
            return 0;
        }
        *file = fd_get(c->proc->fds, dirfd);
        return *file != 0 ? 0 : -EBADF;
    }
    return path_at(c->proc, dirfd, user_copy, resolved, sizeof resolved);
}

static int64_t do_fchmodat(struct syscall_call *c, int32_t dirfd, uint64_t upath, uint32_t mode,
                           uint32_t flags)
{
    if (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    struct file *f;
    int err = target_at(c, dirfd, upath, flags, &f);
    if (err != 0)
        return err;
    if (f != 0)
        return file_chmod(f, mode);
    return fs_chmod(c->proc, resolved, mode, flags & AT_SYMLINK_NOFOLLOW);
}

int64_t sys_chmod(struct syscall_call *c)
{
    return do_fchmodat(c, AT_FDCWD, c->arg[0], (uint32_t)c->arg[1], 0);
}

int64_t sys_fchmodat(struct syscall_call *c)
{
    /* No flags argument: AT_SYMLINK_NOFOLLOW is fchmodat2's. */
    return do_fchmodat(c, arg_int(c->arg[0]), c->arg[1], (uint32_t)c->arg[2], 0);
}

int64_t sys_fchmodat2(struct syscall_call *c)
{
    return do_fchmodat(c, arg_int(c->arg[0]), c->arg[1], (uint32_t)c->arg[2],
                       (uint32_t)c->arg[3]);
}

/* The open file fchmod/fchown act on: O_PATH descriptors are EBADF. */
static struct file *file_for_attr(struct syscall_call *c)
{
    struct file *f = fd_get(c->proc->fds, arg_int(c->arg[0]));
    return f != 0 && !(f->flags & O_PATH) ? f : 0;
}

int64_t sys_fchmod(struct syscall_call *c)
{
    struct file *f = file_for_attr(c);
    return f != 0 ? file_chmod(f, (uint32_t)c->arg[1]) : -EBADF;
}

/* uid_t and gid_t are 32 bits: (uid_t)-1 is "unchanged" (FILEIO_ID_UNCHANGED). */
static int64_t do_fchownat(struct syscall_call *c, int32_t dirfd, uint64_t upath, uint64_t uid,
                           uint64_t gid, uint32_t flags)
{
    if (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    struct file *f;
    int err = target_at(c, dirfd, upath, flags, &f);
    if (err != 0)
        return err;
    if (f != 0)
        return file_chown(f, (uint32_t)uid, (uint32_t)gid);
    return fs_chown(c->proc, resolved, (uint32_t)uid, (uint32_t)gid,
                    flags & AT_SYMLINK_NOFOLLOW);
}

int64_t sys_chown(struct syscall_call *c)
{
    return do_fchownat(c, AT_FDCWD, c->arg[0], c->arg[1], c->arg[2], 0);
}

int64_t sys_lchown(struct syscall_call *c)
{
    return do_fchownat(c, AT_FDCWD, c->arg[0], c->arg[1], c->arg[2], AT_SYMLINK_NOFOLLOW);
}

int64_t sys_fchownat(struct syscall_call *c)
{
    return do_fchownat(c, arg_int(c->arg[0]), c->arg[1], c->arg[2], c->arg[3],
                       (uint32_t)c->arg[4]);
}

int64_t sys_fchown(struct syscall_call *c)
{
    struct file *f = file_for_attr(c);
    return f != 0 ? file_chown(f, (uint32_t)c->arg[1], (uint32_t)c->arg[2]) : -EBADF;
}

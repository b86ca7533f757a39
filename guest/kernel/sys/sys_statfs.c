/* statfs and fstatfs: the filesystem a path or an open file lives on. */
#include "fs/attr.h"
#include "fs/fd.h"
#include "fs/path.h"
#include "lib/errno.h"
#include "mm/uaccess.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

/* struct statfs of Linux x86-64 (120 bytes). */
struct linux_statfs {
    int64_t f_type, f_bsize;
    uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    int32_t f_fsid[2];
    int64_t f_namelen, f_frsize, f_flags;
    int64_t f_spare[4];
};
_Static_assert(sizeof(struct linux_statfs) == 120, "struct statfs");

static char user_copy[FILEIO_PATH_MAX];
static char resolved[FILEIO_PATH_MAX];

static int put_statfs(uint64_t ubuf, const struct fileio_statfs *st)
{
    struct linux_statfs out = {
        .f_type = st->type,
        .f_bsize = st->bsize,
        .f_blocks = st->blocks,
        .f_bfree = st->bfree,
        .f_bavail = st->bavail,
        .f_files = st->files,
        .f_ffree = st->ffree,
        .f_fsid = {st->fsid[0], st->fsid[1]},
        .f_namelen = st->namelen,
        .f_frsize = st->frsize,
        .f_flags = st->flags,
    };
    return copy_to_user(ubuf, &out, sizeof out);
}

int64_t sys_statfs(struct syscall_call *c)
{
    int64_t len = strncpy_from_user(user_copy, c->arg[0], FILEIO_PATH_MAX);
    if (len < 0)
        return len;
    if (len == 0)
        return -ENOENT;
    int err = path_at(c->proc, AT_FDCWD, user_copy, resolved, sizeof resolved);
    if (err != 0)
        return err;
    struct fileio_statfs st;
    err = fs_statfs(c->proc, resolved, &st);
    return err != 0 ? err : put_statfs(c->arg[1], &st);
}

int64_t sys_fstatfs(struct syscall_call *c)
{
    struct file *f = fd_get(c->proc->fds, arg_int(c->arg[0]));
    if (f == 0)
        return -EBADF;
    struct fileio_statfs st;
    int err = file_statfs(f, &st);
    return err != 0 ? err : put_statfs(c->arg[1], &st);
}

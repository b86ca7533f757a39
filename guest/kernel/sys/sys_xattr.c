/*
 * Extended attributes: the filesystems of the VM have none, and the system
 * calls answer as Linux does on a filesystem without xattr support, once
 * the file was found: get/set/remove are EOPNOTSUPP, a list is empty (0).
 * ls then shows no ACL/security mark, and cp -a copies no attribute.
 */
#include "fs/fd.h"
#include "fs/file.h"
#include "fs/open.h"
#include "fs/path.h"
#include "kernel/log.h"
#include "lib/errno.h"
#include "mm/uaccess.h"
#include "sys/sys_common.h"
#include "sys/syscall.h"

#define XATTR_NAME_MAX 255
#define XATTR_SIZE_MAX 65536
#define XATTR_CREATE 1
#define XATTR_REPLACE 2

static char user_copy[FILEIO_PATH_MAX];
/* --trace says once that the VM keeps no attributes. */
static bool traced;
static char resolved[FILEIO_PATH_MAX];

/* The file at the user's path exists (following its last symlink unless
 * `nofollow`): 0, or the lookup's error. */
static int path_exists(struct syscall_call *c, uint64_t upath, bool nofollow)
{
    int64_t len = strncpy_from_user(user_copy, upath, FILEIO_PATH_MAX);
    if (len < 0)
        return (int)len;
    if (len == 0)
        return -ENOENT;
    int err = path_at(c->proc, AT_FDCWD, user_copy, resolved, sizeof resolved);
    if (err != 0)
        return err;
    struct fileio_stat st;
    return fs_stat(c->proc, resolved, nofollow ? AT_SYMLINK_NOFOLLOW : 0, &st);
}

/* The f*xattr calls take an fd opened for I/O: O_PATH ones are EBADF. */
static int fd_usable(struct syscall_call *c, uint64_t fd)
{
    struct file *f = fd_get(c->proc->fds, arg_int(fd));
    return f != 0 && !(f->flags & O_PATH) ? 0 : -EBADF;
}

/* An attribute name as Linux checks it: ERANGE when empty or too long. */
static int check_name(uint64_t uname)
{
    char name[XATTR_NAME_MAX + 1];
    int64_t len = strncpy_from_user(name, uname, sizeof name);
    if (len == -ENAMETOOLONG || len == 0)
        return -ERANGE;
    return len < 0 ? (int)len : 0;
}

/* setxattr's own checks, made before the file is looked up. */
static int check_set(uint64_t uname, uint64_t size, uint32_t flags)
{
    if (flags & ~(uint32_t)(XATTR_CREATE | XATTR_REPLACE))
        return -EINVAL;
    int err = check_name(uname);
    if (err != 0)
        return err;
    return size > XATTR_SIZE_MAX ? -E2BIG : 0;
}

static int64_t not_supported(void)
{
    if (!traced) {
        traced = true;
        ktrace("extended attributes: the VM's filesystems keep none, returning EOPNOTSUPP");
    }
    return -EOPNOTSUPP;
}

/* A get or remove once the file was found. */
static int64_t no_attribute(int err, uint64_t uname)
{
    if (err != 0)
        return err;
    err = check_name(uname);
    return err != 0 ? err : not_supported();
}

int64_t sys_getxattr(struct syscall_call *c)
{
    return no_attribute(path_exists(c, c->arg[0], false), c->arg[1]);
}

int64_t sys_lgetxattr(struct syscall_call *c)
{
    return no_attribute(path_exists(c, c->arg[0], true), c->arg[1]);
}

int64_t sys_fgetxattr(struct syscall_call *c)
{
    return no_attribute(fd_usable(c, c->arg[0]), c->arg[1]);
}

int64_t sys_removexattr(struct syscall_call *c)
{
    return no_attribute(path_exists(c, c->arg[0], false), c->arg[1]);
}

int64_t sys_lremovexattr(struct syscall_call *c)
{
    return no_attribute(path_exists(c, c->arg[0], true), c->arg[1]);
}

int64_t sys_fremovexattr(struct syscall_call *c)
{
    return no_attribute(fd_usable(c, c->arg[0]), c->arg[1]);
}

static int64_t do_setxattr(struct syscall_call *c, bool nofollow)
{
    int err = check_set(c->arg[1], c->arg[3], (uint32_t)c->arg[4]);
    if (err == 0)
        err = path_exists(c, c->arg[0], nofollow);
    return err != 0 ? err : not_supported();
}

int64_t sys_setxattr(struct syscall_call *c)
{
    return do_setxattr(c, false);
}

int64_t sys_lsetxattr(struct syscall_call *c)
{
    return do_setxattr(c, true);
}

int64_t sys_fsetxattr(struct syscall_call *c)
{
    int err = check_set(c->arg[1], c->arg[3], (uint32_t)c->arg[4]);
    if (err == 0)
        err = fd_usable(c, c->arg[0]);
    return err != 0 ? err : not_supported();
}

/* An empty list: 0 bytes, whatever the buffer. */
int64_t sys_listxattr(struct syscall_call *c)
{
    return path_exists(c, c->arg[0], false);
}

int64_t sys_llistxattr(struct syscall_call *c)
{
    return path_exists(c, c->arg[0], true);
}

int64_t sys_flistxattr(struct syscall_call *c)
{
    return fd_usable(c, c->arg[0]);
}

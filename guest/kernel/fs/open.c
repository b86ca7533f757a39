#include "fs/open.h"

#include "fs/devnodes.h"
#include "fs/fd.h"
#include "fs/file.h"
#include "fs/path.h"
#include "fs/vfs.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "proc/process.h"

#define X_OK 1

/* One CPU, and nothing here sleeps: one buffer is enough. */
static char normalized[FILEIO_PATH_MAX];

static int normalize(const char *path)
{
    return path_normalize("/", path, normalized, sizeof normalized);
}

/* The open file `path` aliases (/dev/stdin, /proc/self/fd/N...): NULL when
 * it is no alias; *err is -ENOENT when it is one of a closed fd. */
static struct file *alias_target(struct process *p, int *err)
{
    int fd = devnode_fd_alias(normalized);
    if (fd < 0 && strncmp(normalized, "/proc/", 6) == 0) {
        /* /proc/PID/fd/N of the process itself is /proc/self/fd/N. */
        static char self[FILEIO_PATH_MAX]; /* one CPU, nothing here sleeps */
        char own[32];
        int n = ksnprintf(own, sizeof own, "/proc/%d/fd/", p->pid);
        if (strncmp(normalized, own, (uint64_t)n) == 0 &&
            ksnprintf(self, sizeof self, "/proc/self/fd/%s", normalized + n) < (int)sizeof self)
            fd = devnode_fd_alias(self);
    }
    if (fd < 0)
        return 0;
    struct file *f = fd_get(p->fds, fd);
    if (f == 0)
        *err = -ENOENT;
    return f;
}

int fs_open(struct process *p, const char *path, uint32_t flags, uint32_t mode, struct file **out)
{
    int err = normalize(path);
    if (err != 0)
        return err;
    const struct devnode *node = devnode_find(normalized);
    if (node != 0)
        return devnode_open(node, flags, out);
    err = 0;
    struct file *target = alias_target(p, &err);
    if (err != 0)
        return err;
    if (target == 0)
        return vfs_open(path, flags, mode, out);
    /* An alias of a host file opens it afresh, with its own position and the
     * flags asked for, as Linux does; other files (console, pipes, nodes) are
     * shared. */
    if (target->path != 0)
        return vfs_open(target->path, flags, mode, out);
    file_get(target);
    *out = target;
    return 0;
}

int fs_stat(struct process *p, const char *path, uint32_t flags, struct fileio_stat *st)
{
    int err = normalize(path);
    if (err != 0)
        return err;
    const struct devnode *node = devnode_find(normalized);
    if (node != 0) {
        devnode_stat(node, st);
        return 0;
    }
    /* lstat of /proc/self/fd/N is the link's own (/proc answers it). */
    if ((flags & AT_SYMLINK_NOFOLLOW) && strncmp(normalized, "/proc/", 6) == 0)
        return vfs_stat(path, flags, st);
    err = 0;
    struct file *target = alias_target(p, &err);
    if (err != 0)
        return err;
    if (target == 0)
        return vfs_stat(path, flags, st);
    if (target->ops->stat == 0)
        return -EINVAL;
    return target->ops->stat(target, st);
}

int fs_access(struct process *p, const char *path, uint32_t mode, uint32_t flags)
{
    int err = normalize(path);
    if (err != 0)
        return err;
    if (devnode_find(normalized) != 0)
        return (mode & X_OK) ? -EACCES : 0; /* rw-rw-rw- */
    err = 0;
    if (alias_target(p, &err) != 0 || err != 0)
        return err;
    return vfs_access(path, mode, flags);
}

#include "fs/attr.h"

#include "fs/devnodes.h"
#include "fs/fd.h"
#include "fs/file.h"
#include "fs/path.h"
#include "fs/vfs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "proc/process.h"

/* Magic numbers statfs reports for the kernel's own files (Linux's). */
#define PIPEFS_MAGIC 0x50495045
#define TMPFS_MAGIC 0x01021994 /* /dev (devtmpfs) and the console's node */
#define ST_NOSUID 0x0002
#define ST_VALID 0x0020
#define KERNEL_FS_BLOCK 4096
#define KERNEL_FS_NAMELEN 255

/* One CPU, and nothing here sleeps: one buffer is enough. */
static char normalized[FILEIO_PATH_MAX];

/*
 * What `path` is besides a path in the mounts: a kernel node (*node), or an
 * alias of an open fd (*alias). 0, or -ENOENT for an alias of a closed fd.
 */
static int kernel_object(struct process *p, const char *path, const struct devnode **node,
                         struct file **alias)
{
    *node = 0;
    *alias = 0;
    int err = path_normalize("/", path, normalized, sizeof normalized);
    if (err != 0)
        return err;
    *node = devnode_find(normalized);
    if (*node != 0)
        return 0;
    int fd = devnode_fd_alias(normalized);
    if (fd < 0)
        return 0;
    *alias = fd_get(p->fds, fd);
    return *alias != 0 ? 0 : -ENOENT;
}

static bool chown_changes_nothing(uint32_t uid, uint32_t gid)
{
    return uid == FILEIO_ID_UNCHANGED && gid == FILEIO_ID_UNCHANGED;
}

int fs_chmod(struct process *p, const char *path, uint32_t mode, uint32_t flags)
{
    const struct devnode *node;
    struct file *alias;
    int err = kernel_object(p, path, &node, &alias);
    if (err != 0)
        return err;
    if (node != 0)
        return -EPERM; /* root's, as on Linux */
    if (alias != 0)
        return file_chmod(alias, mode);
    return vfs_chmod(path, mode, flags);
}

int fs_chown(struct process *p, const char *path, uint32_t uid, uint32_t gid, uint32_t flags)
{
    const struct devnode *node;
    struct file *alias;
    int err = kernel_object(p, path, &node, &alias);
    if (err != 0)
        return err;
    if (node != 0)
        return chown_changes_nothing(uid, gid) ? 0 : -EPERM;
    if (alias != 0)
        return file_chown(alias, uid, gid);
    return vfs_chown(path, uid, gid, flags);
}

/* statfs of a filesystem the kernel keeps itself: pipefs or /dev's tmpfs. */
static void kernel_statfs(int64_t type, struct fileio_statfs *out)
{
    memset(out, 0, sizeof *out);
    out->type = type;
    out->bsize = KERNEL_FS_BLOCK;
    out->frsize = KERNEL_FS_BLOCK;
    out->namelen = KERNEL_FS_NAMELEN;
    out->flags = ST_VALID | ST_NOSUID;
}

int fs_statfs(struct process *p, const char *path, struct fileio_statfs *out)
{
    const struct devnode *node;
    struct file *alias;
    int err = kernel_object(p, path, &node, &alias);
    if (err != 0)
        return err;
    if (node != 0) {
        kernel_statfs(TMPFS_MAGIC, out);
        return 0;
    }
    if (alias != 0)
        return file_statfs(alias, out);
    return vfs_statfs(path, out);
}

bool chown_permitted(const struct fileio_stat *st, uint32_t uid, uint32_t gid)
{
    bool uid_ok = uid == FILEIO_ID_UNCHANGED || uid == PROCESS_UID || uid == st->uid;
    bool gid_ok = gid == FILEIO_ID_UNCHANGED || gid == PROCESS_GID || gid == st->gid;
    return uid_ok && gid_ok;
}

int file_chmod(struct file *f, uint32_t mode)
{
    return f->ops->chmod != 0 ? f->ops->chmod(f, mode & 07777) : -EPERM;
}

int file_chown(struct file *f, uint32_t uid, uint32_t gid)
{
    if (f->ops->chown != 0)
        return f->ops->chown(f, uid, gid);
    return chown_changes_nothing(uid, gid) ? 0 : -EPERM;
}

int file_statfs(struct file *f, struct fileio_statfs *out)
{
    if (f->ops->statfs != 0)
        return f->ops->statfs(f, out);
    struct fileio_stat st;
    bool is_pipe = f->ops->stat != 0 && f->ops->stat(f, &st) == 0 &&
                   (st.mode & S_IFMT) == S_IFIFO;
    kernel_statfs(is_pipe ? PIPEFS_MAGIC : TMPFS_MAGIC, out);
    return 0;
}

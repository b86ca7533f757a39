#include "fs/host_mount.h"

#include "fs/file.h"
#include "fs/fileio.h"
#include "fs/mount.h"
#include "kernel/devices.h"
#include "kernel/log.h"
#include "lib/errno.h"

static struct fileio_device devices_by_mount[MOUNT_MAX];

static const struct fileio_device *dev(const struct mount *m)
{
    return m->priv;
}

static int host_open(const struct mount *m, const char *path, uint32_t resolve, uint32_t flags,
                     uint32_t mode, struct file **out)
{
    int64_t handle = fileio_open(dev(m), path, resolve, flags, mode);
    if (handle < 0)
        return (int)handle;
    struct file *f = fileio_file(dev(m), (int32_t)handle, flags | O_LARGEFILE);
    if (f == 0)
        return -ENOMEM;
    *out = f;
    return 0;
}

static int host_stat(const struct mount *m, const char *path, uint32_t resolve, uint32_t flags,
                     struct fileio_stat *st)
{
    return (int)fileio_stat(dev(m), path, resolve, flags, st);
}

static int host_access(const struct mount *m, const char *path, uint32_t resolve, uint32_t mode,
                       uint32_t flags)
{
    return (int)fileio_access(dev(m), path, resolve, mode, flags);
}

static int64_t host_readlink(const struct mount *m, const char *path, uint32_t resolve,
                             char *buf, uint64_t size)
{
    return fileio_readlink(dev(m), path, resolve, buf, size);
}

static int host_unlink(const struct mount *m, const char *path, uint32_t resolve, uint32_t flags)
{
    return (int)fileio_unlink(dev(m), path, resolve, flags);
}

static int host_mkdir(const struct mount *m, const char *path, uint32_t resolve, uint32_t mode)
{
    return (int)fileio_mkdir(dev(m), path, resolve, mode);
}

static int host_rename(const struct mount *m, const char *from, const char *to, uint32_t resolve)
{
    return (int)fileio_rename(dev(m), from, to, resolve);
}

static int host_symlink(const struct mount *m, const char *linkpath, uint32_t resolve,
                        const char *target)
{
    return (int)fileio_symlink(dev(m), linkpath, resolve, target);
}

static int host_link(const struct mount *m, const char *oldpath, const char *newpath,
                     uint32_t resolve)
{
    return (int)fileio_link(dev(m), oldpath, newpath, resolve);
}

static int host_utimens(const struct mount *m, const char *path, uint32_t resolve,
                        const int64_t times[4], uint32_t flags)
{
    return (int)fileio_utimens(dev(m), path, resolve, times, flags);
}

static int host_chmod(const struct mount *m, const char *path, uint32_t resolve, uint32_t mode,
                      uint32_t flags)
{
    return (int)fileio_chmod(dev(m), path, resolve, mode, flags);
}

static int host_chown(const struct mount *m, const char *path, uint32_t resolve, uint32_t uid,
                      uint32_t gid, uint32_t flags)
{
    return (int)fileio_chown(dev(m), path, resolve, uid, gid, flags);
}

static int host_statfs(const struct mount *m, const char *path, uint32_t resolve,
                       struct fileio_statfs *out)
{
    return (int)fileio_statfs(dev(m), path, resolve, out);
}

static const struct mount_ops host_ops = {
    .type = "hostfs", /* a host directory through a fileio device */
    .open = host_open,
    .stat = host_stat,
    .access = host_access,
    .readlink = host_readlink,
    .unlink = host_unlink,
    .mkdir = host_mkdir,
    .rename = host_rename,
    .symlink = host_symlink,
    .link = host_link,
    .utimens = host_utimens,
    .chmod = host_chmod,
    .chown = host_chown,
    .statfs = host_statfs,
};

void host_mounts_init(void)
{
    static char point[FILEIO_PATH_MAX];
    const struct device_ports *d = devices();
    for (uint32_t i = 0; i < d->fileio_count && i < MOUNT_MAX; i++) {
        struct fileio_device *fd = &devices_by_mount[i];
        fd->port = d->fileio[i];
        bool writable = false;
        int64_t err = fileio_mount_info(fd, point, sizeof point, &writable);
        fd->writable = writable;
        if (err == 0)
            err = mount_add(point, &host_ops, fd, writable);
        if (err != 0)
            ktrace("fileio device on port %#x not mounted: error %ld", fd->port, err);
    }
}

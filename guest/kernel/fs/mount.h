/*
 * The mount table: every filesystem of the guest tree and the absolute,
 * normalized guest path it is mounted at ("/" for the root). A path belongs
 * to the mount with the longest mount point that is the path itself or a
 * leading part of it, component by component. Host directories are mounts
 * of fileio devices (fs/host_mount.c); the kernel's own filesystems are
 * mounts too. fs/vfs.c routes path operations through this table.
 */
#ifndef KERNEL_FS_MOUNT_H
#define KERNEL_FS_MOUNT_H

#include "fileio/fileio_abi.h"

#include <stdbool.h>
#include <stdint.h>

#define MOUNT_MAX 32u

struct file;
struct mount;

/*
 * A filesystem's path operations. `path` is absolute inside the mount ("/"
 * is its top) and may hold "." and symlinks; `resolve` is 0 or
 * FILEIO_RESOLVE_NO_SYMLINKS. Results are >= 0 or -errno; two answers ask
 * fs/vfs.c to resolve the path itself, component by component across the
 * mounts, and call again with the result: -EXDEV (the path leaves the
 * mount: ".." above its top, or a symlink pointing out) and, under
 * FILEIO_RESOLVE_NO_SYMLINKS, -ELOOP (a symlink on the way). A filesystem
 * that never follows symlinks itself may answer so at any symlink. An
 * operation left NULL is EROFS for changes and ENOENT otherwise. On a
 * mount that is not writable, vfs answers changes it routes by these ops
 * (chmod, chown) itself: the error of looking the path up, else EROFS.
 */
struct mount_ops {
    /* The filesystem type, as /proc/mounts names it ("tmpfs", "proc", ...). */
    const char *type;
    /* statfs's f_type (Linux's magic number for the type), for the answer
     * vfs makes when `statfs` is NULL. */
    int64_t magic;
    int (*open)(const struct mount *m, const char *path, uint32_t resolve, uint32_t flags,
                uint32_t mode, struct file **out);
    int (*stat)(const struct mount *m, const char *path, uint32_t resolve, uint32_t flags,
                struct fileio_stat *st);
    int (*access)(const struct mount *m, const char *path, uint32_t resolve, uint32_t mode,
                  uint32_t flags);
    /* The link text into kernel buffer `buf` of `size` bytes: its length. */
    int64_t (*readlink)(const struct mount *m, const char *path, uint32_t resolve, char *buf,
                        uint64_t size);
    int (*unlink)(const struct mount *m, const char *path, uint32_t resolve, uint32_t flags);
    int (*mkdir)(const struct mount *m, const char *path, uint32_t resolve, uint32_t mode);
    /* mknod(2) of a FIFO or socket (`mode` holds the type). NULL: the
     * filesystem keeps neither (EPERM, as for an unprivileged mknod). */
    int (*mknod)(const struct mount *m, const char *path, uint32_t resolve, uint32_t mode);
    /* Both paths in this mount. */
    int (*rename)(const struct mount *m, const char *from, const char *to, uint32_t resolve);
    int (*symlink)(const struct mount *m, const char *linkpath, uint32_t resolve,
                   const char *target);
    int (*link)(const struct mount *m, const char *oldpath, const char *newpath,
                uint32_t resolve);
    int (*utimens)(const struct mount *m, const char *path, uint32_t resolve,
                   const int64_t times[4], uint32_t flags);
    /* chmod(2): set the permission bits to `mode` (07777 only). `flags`:
     * AT_SYMLINK_NOFOLLOW, where a symlink itself is -EOPNOTSUPP (as Linux:
     * links have no mode of their own). Called only on a writable mount. */
    int (*chmod)(const struct mount *m, const char *path, uint32_t resolve, uint32_t mode,
                 uint32_t flags);
    /* chown(2): `uid`/`gid` are guest ids, or FILEIO_ID_UNCHANGED (chown's
     * -1) to keep one. vfs has already refused (EPERM) what an unprivileged
     * process may not ask for: each id is unchanged, the caller's own
     * (PROCESS_UID/GID) or the one the file has. `flags`: AT_SYMLINK_NOFOLLOW
     * (lchown). Called only on a writable mount. */
    int (*chown)(const struct mount *m, const char *path, uint32_t resolve, uint32_t uid,
                 uint32_t gid, uint32_t flags);
    /* statfs(2) of the filesystem, for the object at `path` (its last symlink
     * followed). f_flags should hold ST_RDONLY when the mount is read-only;
     * NULL gives an answer with `magic`, 4 KiB blocks, 255-byte names and
     * the mount's access, and no counts. */
    int (*statfs)(const struct mount *m, const char *path, uint32_t resolve,
                  struct fileio_statfs *out);
};

struct mount {
    char point[FILEIO_PATH_MAX];
    uint32_t point_len;
    const struct mount_ops *ops;
    void *priv;          /* the filesystem's own: a fileio device, ... */
    bool writable;
    bool has_submounts;  /* another mount point lies beneath this one */
};

/* Adds a mount at `point` (absolute and normalized: "/", "/a/b"). 0, or
 * -EINVAL (not normalized), -EBUSY (already a mount point), -ENOMEM (full). */
int mount_add(const char *point, const struct mount_ops *ops, void *priv, bool writable);

/* The mount of lexically normalized absolute `path`, and in *inner the rest
 * of the path inside it ("/" for the mount point itself). NULL when nothing
 * is mounted at "/" (no root filesystem). */
const struct mount *mount_find(const char *path, const char **inner);

/* Some mount point lies beneath normalized absolute `path`: the path is a
 * directory on the way to it, even where its filesystem has no such entry
 * (a host library directory mounted into a root that has no /usr). */
bool mount_beneath(const char *path);

/* Mount `i` (0 <= i < mount_count()), in the order they were added. */
unsigned mount_count(void);
const struct mount *mount_at(unsigned i);

#endif

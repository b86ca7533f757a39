/*
 * Path operations on the guest tree: each path is routed to its mount
 * (fs/mount.h) and handed to that filesystem. A path whose resolution the
 * filesystem cannot finish inside the mount (a ".." above it, a symlink
 * pointing out, a symlink where a mount beneath could be crossed) is walked
 * here instead, component by component: symlinks are followed across mounts
 * and ".." taken on the resolved directory, with chroot semantics for the
 * whole tree (".." at "/" stays there, absolute links start at "/").
 *
 * `path` is absolute (path_at's result: it may hold ".", ".." and repeated
 * or trailing slashes). Results are 0 / >= 0 or -errno as Linux answers.
 */
#ifndef KERNEL_FS_VFS_H
#define KERNEL_FS_VFS_H

#include "fileio/fileio_abi.h"

#include <stdbool.h>
#include <stdint.h>

struct file;

/* open(2) `flags` and `mode` (umask applied); the new file remembers the
 * path lexically normalized (*at() calls and fchdir start from it), unless
 * the filesystem handed back a file with a name of its own. A filesystem's
 * open may call vfs_open itself (a magic link reopening its target). */
int vfs_open(const char *path, uint32_t flags, uint32_t mode, struct file **out);
/* execve's open: `path` must be a regular file that access(X_OK) allows;
 * opened read-only, its stat in *st, and it keeps `name` (the caller's
 * normalized form of the path) as vfs_open's files keep theirs. One route
 * through the mounts for the three (-EACCES for a file that is not regular
 * or not executable). */
int vfs_open_executable(const char *path, const char *name, struct file **out,
                        struct fileio_stat *st);
/* `flags`: AT_SYMLINK_NOFOLLOW. */
int vfs_stat(const char *path, uint32_t flags, struct fileio_stat *st);
/* `mode` R_OK..., `flags` AT_EACCESS, AT_SYMLINK_NOFOLLOW. */
int vfs_access(const char *path, uint32_t mode, uint32_t flags);
/* The link text into kernel buffer `buf` (up to `size` bytes): its length. */
int64_t vfs_readlink(const char *path, char *buf, uint64_t size);
int vfs_unlink(const char *path, uint32_t flags);
int vfs_mkdir(const char *path, uint32_t mode);
/* A FIFO or socket node (type in `mode`); -EPERM where the filesystem keeps
 * none, -EEXIST first for an existing name, -EROFS on a read-only mount. */
int vfs_mknod(const char *path, uint32_t mode);
/* EXDEV when the two lie in different mounts, as on Linux. */
int vfs_rename(const char *from, const char *to);
int vfs_symlink(const char *target, const char *linkpath);
int vfs_link(const char *oldpath, const char *newpath);
int vfs_utimens(const char *path, const int64_t times[4], uint32_t flags);
/* `flags`: AT_SYMLINK_NOFOLLOW. On a read-only mount: ENOENT & co. first,
 * then EROFS, as Linux. */
int vfs_chmod(const char *path, uint32_t mode, uint32_t flags);
/* `uid`/`gid`: a guest id or FILEIO_ID_UNCHANGED. EPERM (after EROFS) for an
 * id an unprivileged process may not give (chown_permitted, fs/attr.h). */
int vfs_chown(const char *path, uint32_t uid, uint32_t gid, uint32_t flags);
int vfs_statfs(const char *path, struct fileio_statfs *out);

/*
 * Resolves `path` into `out` (`size` bytes): an absolute, normalized path
 * with no symlink in it but, unless `follow_last`, its last component. A
 * trailing slash stays (it makes the last component a directory). A missing
 * last component is fine (the operation may create it). 0, or -ENOENT,
 * -ENOTDIR, -ELOOP (more than 40 links), -ENAMETOOLONG, or an error of a
 * filesystem.
 */
int vfs_walk(const char *path, bool follow_last, char *out, uint64_t size);

#endif

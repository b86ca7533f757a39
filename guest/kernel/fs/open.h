/*
 * Guest paths to files: the kernel's own nodes (fs/devnodes.h) and fd
 * aliases first, every other path through the mounts (fs/vfs.h). `path` is
 * the absolute path path_at() gives; the nodes are matched on its lexically
 * normalized form.
 */
#ifndef KERNEL_FS_OPEN_H
#define KERNEL_FS_OPEN_H

#include "fileio/fileio_abi.h"

#include <stdint.h>

struct file;
struct process;

/*
 * Opens `path` with open(2) `flags` (O_CLOEXEC is the caller's business) and
 * `mode` (umask already applied). 0 and a new file in *out, remembering its
 * normalized path (a directory for later *at() calls, fchdir), or -errno.
 */
int fs_open(struct process *p, const char *path, uint32_t flags, uint32_t mode, struct file **out);

/* stat/lstat of `path` (`flags`: AT_SYMLINK_NOFOLLOW); 0 or -errno. */
int fs_stat(struct process *p, const char *path, uint32_t flags, struct fileio_stat *st);

/* access(2) of `path` (`mode` R_OK..., `flags` AT_EACCESS, AT_SYMLINK_NOFOLLOW). */
int fs_access(struct process *p, const char *path, uint32_t mode, uint32_t flags);

#endif

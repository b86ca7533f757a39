/*
 * A file's attributes by path and by open file: mode (chmod), owner (chown)
 * and the statfs of its filesystem. Paths go like fs/open.h's: the kernel's
 * own nodes and fd aliases first, the mounts (fs/vfs.h) for the rest.
 * `path` is path_at()'s absolute result. 0 or -errno, as Linux answers for
 * an unprivileged process (PROCESS_UID/GID).
 */
#ifndef KERNEL_FS_ATTR_H
#define KERNEL_FS_ATTR_H

#include "fileio/fileio_abi.h"

#include <stdbool.h>
#include <stdint.h>

struct file;
struct process;

/* `flags`: AT_SYMLINK_NOFOLLOW. `mode`: 07777 bits are kept. */
int fs_chmod(struct process *p, const char *path, uint32_t mode, uint32_t flags);
/* `uid`/`gid`: an id or FILEIO_ID_UNCHANGED; `flags`: AT_SYMLINK_NOFOLLOW. */
int fs_chown(struct process *p, const char *path, uint32_t uid, uint32_t gid, uint32_t flags);
int fs_statfs(struct process *p, const char *path, struct fileio_statfs *out);

/* The same for the object an open file refers to (fchmod, fchown, fstatfs),
 * through its file_ops. Kinds without them (pipes, the console, /dev nodes)
 * belong to no one the program may act for: chmod and an actual chown are
 * EPERM. */
int file_chmod(struct file *f, uint32_t mode);
int file_chown(struct file *f, uint32_t uid, uint32_t gid);
int file_statfs(struct file *f, struct fileio_statfs *out);

/* What an unprivileged process (PROCESS_UID/GID, no supplementary groups)
 * may ask of chown for a file whose ids are in `st`: each id unchanged, its
 * own, or the one the file already has. Ownership itself is the
 * filesystem's to check (the host's permissions for host files). */
bool chown_permitted(const struct fileio_stat *st, uint32_t uid, uint32_t gid);

#endif

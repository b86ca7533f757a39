/* Guest path handling shared by the path syscalls. */
#ifndef KERNEL_FS_PATH_H
#define KERNEL_FS_PATH_H

#include <stdint.h>

struct process;

#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_EACCESS 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_NO_AUTOMOUNT 0x800
#define AT_EMPTY_PATH 0x1000

/*
 * Joins `path` onto directory `base` (both NUL-terminated; `path` absolute
 * or relative) and removes ".", ".." and repeated slashes lexically. The
 * result is absolute. 0, or -ENAMETOOLONG if it does not fit in `size`.
 */
int path_normalize(const char *base, const char *path, char *out, uint64_t size);

/*
 * The absolute guest path the host resolves for `path` at `dirfd`: `path`
 * itself when absolute, else the directory's path (the working directory
 * for AT_FDCWD, or the path the file at dirfd was opened by) joined with it. "." and ".." are left in: the host resolves them together
 * with symlinks inside the root, as Linux would (lexical normalization would
 * get "link/.." and "file/" wrong). 0, -EBADF (dirfd not open), -ENOTDIR
 * (dirfd has no path: not a host file) or -ENAMETOOLONG.
 */
int path_at(struct process *p, int32_t dirfd, const char *path, char *out, uint64_t size);

#endif

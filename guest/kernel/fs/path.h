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
 * The fileio directory a path is resolved from: FILEIO_DIR_ROOT for absolute
 * paths, the working directory for AT_FDCWD, else the directory open at
 * `dirfd`. Also gives that directory's guest path in *base (for names).
 * 0, -EBADF or -ENOTDIR.
 */
int path_start_dir(struct process *p, int32_t dirfd, const char *path, int32_t *dir,
                   const char **base);

#endif

/*
 * Guest paths to host fds, always beneath the root: openat2 with
 * RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS does the confinement (design.md §5);
 * the string handling here only picks the starting directory and splits off
 * a last component.
 */
#ifndef MINIVM_PLUGINS_FILEIO_PATH_H
#define MINIVM_PLUGINS_FILEIO_PATH_H

#include "fileio_state.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * Copies the guest's path bytes [gpa, gpa+len) once into `buf` (room for
 * FILEIO_PATH_MAX + 1) as a C string. 0, or -ENAMETOOLONG (len over
 * FILEIO_PATH_MAX), -EFAULT (not in guest RAM), -EINVAL (an embedded NUL).
 * len 0 gives "": callers decide what an empty path means.
 */
int path_copy(const struct plugin_host *host, uint64_t gpa, uint64_t len, char *buf);

/*
 * The fd a path starts from: the root for an absolute path (whose leading
 * slashes are skipped: "/" becomes "."), else `dir`, which is
 * FILEIO_DIR_ROOT or a directory handle. *rel receives the path to resolve
 * from it. Returns the fd, -EBADF (no such handle) or -ENOTDIR.
 */
int path_start(const struct fileio *f, int32_t dir, const char *path, const char **rel);

/* openat2(base, rel, flags | O_CLOEXEC, mode) confined beneath `base`; fd or -errno. */
int path_openat(int base, const char *rel, uint64_t flags, uint64_t mode);

/*
 * Copies a guest path and opens the object it names with O_PATH (and
 * O_NOFOLLOW when `nofollow`): the safe way to stat, access or touch it.
 * An empty path is -ENOENT. fd (caller closes) or -errno.
 */
int path_open_object(struct fileio *f, int32_t dir, uint64_t gpa, uint64_t len, bool nofollow,
                     char *buf);

/*
 * For operations on a directory entry (unlink, mkdir, rename, readlink):
 * copies the guest path into `buf`, opens its parent directory (O_PATH,
 * beneath the root) and points *last at the final component, which is a
 * plain name: never empty, ".", ".." or containing '/', so an *at() call on
 * it cannot leave the parent. Trailing slashes are ignored.
 * fd (caller closes) or -errno (-ENOENT for an empty path, -EINVAL for a
 * final component that is not a plain name, such as "/" or "a/..").
 */
int path_open_parent(struct fileio *f, int32_t dir, uint64_t gpa, uint64_t len, char *buf,
                     const char **last);

#endif

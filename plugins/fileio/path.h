/*
 * Guest paths to host fds, always inside the mount's directory: every path is
 * resolved from its fd by openat2 with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS
 * (and RESOLVE_NO_SYMLINKS when the call asks), so the confinement is
 * enforced by the host kernel (design.md §5): what would leave it fails with
 * EXDEV, and the guest kernel resolves such paths itself across its mounts.
 * The string handling here only strips leading slashes and splits off a last
 * component.
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
 * `path` relative to the root: leading slashes skipped, "" or "/" becomes ".".
 * A relative path is therefore taken from the root too (the guest kernel
 * sends absolute paths).
 */
const char *path_in_root(const char *path);

/* openat2(root, rel, flags | O_CLOEXEC, mode) confined beneath the root (and
 * refusing symlinks when the current call asks: f->resolve); fd or -errno. */
int path_openat(const struct fileio *f, const char *rel, uint64_t flags, uint64_t mode);

/*
 * Copies a guest path and opens the object it names with O_PATH (and
 * O_NOFOLLOW when `nofollow`): the safe way to stat, access or touch it.
 * An empty path is -ENOENT. fd (caller closes) or -errno.
 */
int path_open_object(struct fileio *f, uint64_t gpa, uint64_t len, bool nofollow, char *buf);

/*
 * For operations on a directory entry (unlink, mkdir, rename, readlink):
 * copies the guest path into `buf`, opens its parent directory (O_PATH,
 * inside the root) and points *last at the final component, which is a
 * plain name: never empty, ".", ".." or containing '/', so an *at() call on
 * it cannot leave the parent. Trailing slashes are ignored.
 * fd (caller closes) or -errno (-ENOENT for an empty path, -EINVAL for a
 * final component that is not a plain name, such as "/" or "a/..").
 */
int path_open_parent(struct fileio *f, uint64_t gpa, uint64_t len, char *buf, const char **last);

#endif

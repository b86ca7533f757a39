/*
 * The fileio device (host files inside the configured root): one function per
 * hypercall operation, and the file kind for fileio handles. Paths are
 * absolute, NUL-terminated kernel strings (see path_at); the host resolves
 * them from the root. Results are >= 0 or -errno, as the host answered.
 */
#ifndef KERNEL_FS_FILEIO_H
#define KERNEL_FS_FILEIO_H

#include "fileio/fileio_abi.h"

#include <stdbool.h>
#include <stdint.h>

struct file;

bool fileio_available(void);

/* `flags` are open(2)'s, passed as given (the host handles O_LARGEFILE). */
int64_t fileio_open(const char *path, uint32_t flags, uint32_t mode);
int64_t fileio_stat(const char *path, uint32_t flags, struct fileio_stat *st);
/* Reads the link into kernel buffer `buf` (up to `size` bytes); returns its length. */
int64_t fileio_readlink(const char *path, char *buf, uint64_t size);
int64_t fileio_access(const char *path, uint32_t mode, uint32_t flags);
int64_t fileio_unlink(const char *path, uint32_t flags);
int64_t fileio_mkdir(const char *path, uint32_t mode);
int64_t fileio_rename(const char *path, const char *path2);
/* A symbolic link at absolute `linkpath` holding `target` (stored as given). */
int64_t fileio_symlink(const char *linkpath, const char *target);
/* A hard link at absolute `newpath` to absolute `oldpath`. */
int64_t fileio_link(const char *oldpath, const char *newpath);
/* By path, or (empty path) the open `handle`. */
int64_t fileio_utimens(const char *path, int32_t handle, const int64_t times[4], uint32_t flags);

/* Wraps an open handle into a file (taking ownership of the handle). */
struct file *fileio_file(int32_t handle, uint32_t open_flags);
/* The handle behind a fileio file, or -1 for another kind of file. */
int32_t fileio_handle_of(const struct file *f);

int64_t fileio_ftruncate(const struct file *f, int64_t length);
int64_t fileio_fsync(const struct file *f);

#endif

/*
 * The fileio device (host files beneath the configured root): one function per
 * hypercall operation, and the file kind for fileio handles. Paths are kernel
 * strings of `len` bytes (no NUL needed); `dir` is a directory handle or
 * FILEIO_DIR_ROOT. Results are >= 0 or -errno, as the host answered.
 */
#ifndef KERNEL_FS_FILEIO_H
#define KERNEL_FS_FILEIO_H

#include "fileio/fileio_abi.h"

#include <stdbool.h>
#include <stdint.h>

struct file;

bool fileio_available(void);

int64_t fileio_open(int32_t dir, const char *path, uint64_t len, uint32_t flags, uint32_t mode);
int64_t fileio_stat(int32_t dir, const char *path, uint64_t len, uint32_t flags,
                    struct fileio_stat *st);
/* Reads the link into kernel buffer `buf` (up to `size` bytes); returns its length. */
int64_t fileio_readlink(int32_t dir, const char *path, uint64_t len, char *buf, uint64_t size);
int64_t fileio_access(int32_t dir, const char *path, uint64_t len, uint32_t mode, uint32_t flags);
int64_t fileio_unlink(int32_t dir, const char *path, uint64_t len, uint32_t flags);
int64_t fileio_mkdir(int32_t dir, const char *path, uint64_t len, uint32_t mode);
int64_t fileio_rename(int32_t dir, const char *path, uint64_t len, int32_t dir2, const char *path2,
                      uint64_t len2);
int64_t fileio_utimens(int32_t dir, const char *path, uint64_t len, int32_t handle,
                       const int64_t times[4], uint32_t flags);

/* Wraps an open handle into a file (taking ownership of the handle). */
struct file *fileio_file(int32_t handle, uint32_t open_flags);
/* The handle behind a fileio file, or -1 for another kind of file. */
int32_t fileio_handle_of(const struct file *f);

int64_t fileio_ftruncate(const struct file *f, int64_t length);
int64_t fileio_fsync(const struct file *f);

#endif

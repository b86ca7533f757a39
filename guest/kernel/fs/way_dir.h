/*
 * Directories that exist only on the way to a mount point: /dev for
 * /dev/shm in a root without /dev, /usr for a host library mount at
 * /usr/lib. They are directories for stat and open (fs/vfs.c), and list
 * the names leading on to the mounts beneath them (and, for /dev, the
 * kernel's device nodes).
 */
#ifndef KERNEL_FS_WAY_DIR_H
#define KERNEL_FS_WAY_DIR_H

#include "fileio/fileio_abi.h"

#include <stdbool.h>
#include <stdint.h>

struct file;

/* Resolves `path` (fs/vfs.h's) into `out` (FILEIO_PATH_MAX bytes, normalized,
 * no trailing slash): 0 when it is such a directory, else -ENOENT. */
int way_dir_find(const char *path, bool follow_last, char *out);
void way_dir_stat(const char *name, struct fileio_stat *st);
/* Opens the listing of `name` (way_dir_find's): 0 and *out, or -errno. */
int way_dir_open(const char *name, uint32_t flags, struct file **out);

#endif

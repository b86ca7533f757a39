/*
 * Nodes the kernel provides itself, never looked up on the host: the memory
 * devices /dev/null, /dev/zero, /dev/full, /dev/random and /dev/urandom (the
 * last two read kernel/random.h), and the fd aliases /dev/stdin, /dev/stdout,
 * /dev/stderr, /dev/fd/N and /proc/self/fd/N.
 */
#ifndef KERNEL_FS_DEVNODES_H
#define KERNEL_FS_DEVNODES_H

#include "fileio/fileio_abi.h"

#include <stdint.h>

struct devnode;
struct file;

/* The device node at normalized absolute `path`, or NULL. */
const struct devnode *devnode_find(const char *path);

/* Opens `node` with open(2) `flags`: 0 and *out, or -ENOTDIR (O_DIRECTORY),
 * -EEXIST (O_CREAT | O_EXCL), -ENOMEM. */
int devnode_open(const struct devnode *node, uint32_t flags, struct file **out);

/* What stat(2) says about `node`: a character device, rw for everyone. */
void devnode_stat(const struct devnode *node, struct fileio_stat *st);

/* Adds the nodes to a directory listing of /dev (fs/way_dir.c). */
struct text;
void devnode_list(struct text *t);

/* The fd that normalized absolute `path` is an alias of, or -1 when it is
 * none (numbers too large for an fd give FD_MAX, which is never open). */
int devnode_fd_alias(const char *path);

#endif

/*
 * tmpfs internals shared by fs/tmpfs.c (names, the tree, mount_ops) and
 * fs/tmpfs_file.c (open files). A node lives while a directory entry names
 * it (nlink) or an open file or operation holds it (refs).
 */
#ifndef KERNEL_FS_TMPFS_NODE_H
#define KERNEL_FS_TMPFS_NODE_H

#include "fileio/fileio_abi.h"

#include <stdint.h>

struct file;
struct pipe;
struct vm_object;

struct tmpfs_fs {
    uint64_t dev;      /* st_dev of every node */
    uint64_t next_ino; /* inode numbers are never reused */
    struct tmpfs_node *root;
};

struct tmpfs_dirent {
    struct tmpfs_dirent *next;
    struct tmpfs_node *node;
    char name[]; /* NUL-terminated */
};

struct tmpfs_time {
    int64_t sec, nsec;
};

struct tmpfs_node {
    struct tmpfs_fs *fs;
    uint64_t ino;
    uint32_t mode; /* S_IF* | permissions */
    uint32_t uid, gid;
    uint32_t nlink; /* directory entries (directories: 2 + subdirectories) */
    uint32_t refs;  /* open files and operations in progress */
    uint64_t size;  /* bytes (symlinks: the target's length) */
    struct tmpfs_time atime, mtime, ctime;
    struct tmpfs_node *parent;     /* directories: the one holding it */
    struct tmpfs_dirent *entries;  /* directories, newest first */
    struct vm_object *data;        /* regular files */
    char *target;                  /* symlinks */
    struct pipe *fifo;             /* FIFOs: the pipe while an end is open */
};

/* The kernel's wall clock as a timestamp. */
struct tmpfs_time tmpfs_now(void);
void tmpfs_node_stat(const struct tmpfs_node *n, struct fileio_stat *st);
/* One more holder; and one fewer (the last with no entry frees it). */
void tmpfs_node_get(struct tmpfs_node *n);
void tmpfs_node_put(struct tmpfs_node *n);
/* Applies utimensat's `times` (UTIME_NOW, UTIME_OMIT) to `n`. */
void tmpfs_set_times(struct tmpfs_node *n, const int64_t times[4]);
/* Sets a regular file's size: 0, -EFBIG or -ENOSPC. */
int tmpfs_resize(struct tmpfs_node *n, uint64_t size);

/* chmod and chown of `n` as Linux answers an unprivileged owner: 0, -EPERM. */
int tmpfs_node_chmod(struct tmpfs_node *n, uint32_t mode);
int tmpfs_node_chown(struct tmpfs_node *n, uint32_t uid, uint32_t gid);
/* statfs of a tmpfs (every tmpfs shares the guest's memory). */
void tmpfs_statfs_answer(struct fileio_statfs *out);

/* An open file of `n` (fs/tmpfs_file.c): 0 and *out, or -errno. */
int tmpfs_file_open(struct tmpfs_node *n, uint32_t flags, struct file **out);

#endif

/*
 * procfs internals: what a path inside /proc names, and the tables of
 * entries that proc/procfs.c resolves paths against.
 */
#ifndef KERNEL_PROC_PROCFS_NODE_H
#define KERNEL_PROC_PROCFS_NODE_H

#include "fileio/fileio_abi.h"

#include <stdint.h>

struct file;
struct process;
struct text;

/* One name in a /proc directory: a file (fill), a symlink (link, and magic
 * for one the kernel follows itself) or a directory (dir). */
struct procfs_entry {
    const char *name;
    /* A file: writes its contents (p is NULL for global files). */
    int (*fill)(struct process *p, struct text *t);
    /* A symlink: its text into buf (size bytes), the length or -errno. */
    int64_t (*link)(struct process *p, char *buf, uint64_t size);
    /* A directory of these entries (count of them). */
    const struct procfs_entry *dir;
    uint32_t dir_count;
    /* A symlink the kernel follows itself, to the file and not its name
     * (exe, fd/N): the target, with a new reference, or NULL. */
    struct file *(*magic)(struct process *p, int32_t fd);
};

enum procfs_kind {
    PROCFS_ENTRY,   /* an entry of a table: global, or of the process `pid` */
    PROCFS_ROOT,    /* /proc itself */
    PROCFS_PID_DIR, /* /proc/PID */
    PROCFS_FD_DIR,  /* /proc/PID/fd */
    PROCFS_FD_LINK, /* /proc/PID/fd/N */
    PROCFS_TASK_DIR, /* /proc/PID/task: a directory per thread (shown as its process) */
};

/* What a path names. */
struct procfs_node {
    enum procfs_kind kind;
    int32_t pid; /* 0: global */
    int32_t fd;
    const struct procfs_entry *entry; /* PROCFS_ENTRY */
    uint32_t index;                   /* its position in its table: inode numbers */
};

/* The global entries of /proc (procfs_files.c) and those of /proc/PID. */
extern const struct procfs_entry procfs_root_entries[];
extern const uint32_t procfs_root_count;
extern const struct procfs_entry procfs_pid_entries[];
extern const uint32_t procfs_pid_count;

/* A link's text into `buf` (cut at `size`, no NUL, as readlink): its length. */
int64_t procfs_copy_link(const char *text, char *buf, uint64_t size);

/* /proc/PID/fd/N: the link text, and the file a magic open reaches. */
int64_t procfs_fd_link(struct process *p, int32_t fd, char *buf, uint64_t size);
struct file *procfs_fd_file(struct process *p, int32_t fd);

/* The mount table in /proc/mounts' format (procfs_files.c). */
int procfs_fill_mounts(struct process *p, struct text *t);

#endif

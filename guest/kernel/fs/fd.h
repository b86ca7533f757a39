/* A process's file descriptor table: bounded (EMFILE), with per-fd FD_CLOEXEC. */
#ifndef KERNEL_FS_FD_H
#define KERNEL_FS_FD_H

#include <stdbool.h>
#include <stdint.h>

#define FD_MAX 1024
#define FD_CLOEXEC 1

struct file;

struct fd_table {
    struct file *files[FD_MAX];
    uint8_t fd_flags[FD_MAX];
    /* One past the highest descriptor ever used: whole-table loops stop here
     * (each loop iteration is costly where kernel code is emulated). */
    uint32_t end;
};

struct fd_table *fd_table_create(void);
/* fork's copy: the same files (one more reference each) and fd flags;
 * NULL when out of memory. */
struct fd_table *fd_table_clone(const struct fd_table *t);
/* execve: closes every descriptor marked FD_CLOEXEC. */
void fd_close_on_exec(struct fd_table *t);
/* Closes every descriptor and frees the table. */
void fd_table_destroy(struct fd_table *t);

/* Installs `f` (taking over the caller's reference) at the lowest free fd >=
 * min_fd that is below `limit`; returns the fd or -EMFILE. */
int fd_install(struct fd_table *t, struct file *f, int min_fd, uint8_t fd_flags, uint64_t limit);
/* Installs `f` exactly at `fd`, closing what was there (dup2). Takes a reference. */
void fd_install_at(struct fd_table *t, int fd, struct file *f, uint8_t fd_flags);
/* The file at `fd` (no new reference), or NULL for a bad fd. */
struct file *fd_get(struct fd_table *t, int64_t fd);
/* 0 or -EBADF. */
int fd_close(struct fd_table *t, int64_t fd);

#endif

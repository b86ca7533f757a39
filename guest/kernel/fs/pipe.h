/*
 * Pipes: a bounded in-kernel buffer between a read end and a write end, each
 * a struct file (shared across fork and dup like any open file). Reads block
 * while the pipe is empty and a writer exists (EOF once none does); writes
 * block while it is full and a reader exists (EPIPE, and SIGPIPE from
 * sys_io.c, once none does). Writes of up to PIPE_BUF bytes are atomic.
 */
#ifndef KERNEL_FS_PIPE_H
#define KERNEL_FS_PIPE_H

#include <stdint.h>

struct file;
struct fileio_stat;
struct pipe;

#define PIPE_BUF 4096

/* The two ends, each with one reference, with `flags` (O_NONBLOCK) in their
 * file flags. 0 or -ENOMEM/-ENFILE. */
int pipe_create(uint32_t flags, struct file **read_end, struct file **write_end);

/*
 * A FIFO's node (mkfifo in tmpfs) as the named pipe sees it: one reference
 * per open end (get at open, put at close) and the node's stat for fstat.
 */
struct pipe_node_ops {
    void (*get)(void *node);
    void (*put)(void *node);
    void (*stat)(void *node, struct fileio_stat *st);
};

/*
 * Opens FIFO `node`, whose pipe is *slot (NULL while no end is open; the pipe
 * clears it when its last end closes), as Linux's fifo_open: O_RDONLY waits
 * for a writer and O_WRONLY for a reader unless O_NONBLOCK (then a writer
 * without a reader is ENXIO), O_RDWR never waits. 0 and *out, or -errno
 * (-ERESTARTSYS when a signal ends the wait).
 */
int pipe_open_named(struct pipe **slot, const struct pipe_node_ops *ops, void *node,
                    uint32_t flags, struct file **out);

#endif

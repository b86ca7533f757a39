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

#define PIPE_BUF 4096

/* The two ends, each with one reference, with `flags` (O_NONBLOCK) in their
 * file flags. 0 or -ENOMEM/-ENFILE. */
int pipe_create(uint32_t flags, struct file **read_end, struct file **write_end);

#endif

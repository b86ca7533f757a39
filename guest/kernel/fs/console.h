#ifndef KERNEL_FS_CONSOLE_H
#define KERNEL_FS_CONSOLE_H

#include <stdint.h>

struct file;

/* A file for console stream 0 (stdin), 1 (stdout) or 2 (stderr); NULL if
 * there is no console device or no memory. */
struct file *console_open(uint32_t stream);

/* Writes kernel bytes to a console stream (messages for the user, such as why
 * a program cannot be run). Best effort. */
void console_write_kernel(uint32_t stream, const char *msg, uint64_t len);

#endif

/*
 * Where the guest kernel's --strace lines go: stderr, or the file named by
 * --strace-output (opened at init, before seccomp, so the run needs only
 * write(2) on that one descriptor). The guest is hostile: its text is cut to
 * PLATFORM_STRACE_MAX and every byte that is not printable ASCII or '\n'
 * becomes '?', so it can neither drive the terminal nor forge a line of
 * minivm's own without showing it.
 */
#ifndef MINIVM_PLUGINS_PLATFORM_STRACE_OUTPUT_H
#define MINIVM_PLUGINS_PLATFORM_STRACE_OUTPUT_H

#include "common/hc_port.h"
#include "platform/platform_abi.h"

#include <stdbool.h>
#include <stddef.h>

struct strace_output {
    bool enabled; /* --strace given */
    int fd;       /* STDERR_FILENO or the --strace-output file */
    unsigned char raw[PLATFORM_STRACE_MAX];
    char text[PLATFORM_STRACE_MAX + 1];
};

/* Reads the "strace"/"strace_output" VM settings; opens the file and asks
 * seccomp for write(2) on the descriptor. 0, or -1 after a one-line error. */
int strace_output_init(struct strace_output *out, const struct plugin_host *host);

/* PLATFORM_OP_STRACE: copies the batch [gpa, gpa + len) and writes it. 0,
 * -EPERM without --strace, -EFAULT when the bytes are not in guest RAM. */
int64_t strace_output_write(struct strace_output *out, const struct plugin_host *host,
                            uint64_t gpa, uint64_t len);

/* Closes the file (nothing for stderr). */
void strace_output_close(struct strace_output *out);

#endif

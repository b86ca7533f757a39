/* Declaring the system calls a plugin's handlers make, for the VMM's seccomp
 * allow-list (installed after every plugin's init). */
#ifndef MINIVM_PLUGINS_COMMON_SECCOMP_GRANTS_H
#define MINIVM_PLUGINS_COMMON_SECCOMP_GRANTS_H

#include "common/hc_port.h"

#include <stddef.h>
#include <stdint.h>

/* Any value of the arguments. */
#define SECCOMP_ANY_ARG (-1)

struct seccomp_grant {
    int syscall_nr;
    int arg_index;  /* 0..5, or SECCOMP_ANY_ARG */
    uint64_t value; /* the one value argument `arg_index` may have */
};

/* Passes every grant to the core; 0, or -1 when one was refused (logged). */
int plugin_seccomp_allow(const struct plugin_host *host, const struct seccomp_grant *grants,
                         size_t count);

#endif

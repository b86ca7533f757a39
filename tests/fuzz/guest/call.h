/* One system call as the batch prepares it, before guards and exclusions
 * adjust it and the batch makes it. */
#ifndef GUEST_FUZZ_CALL_H
#define GUEST_FUZZ_CALL_H

#include <stdint.h>

#include "tests/fuzz/guest/args.h"
#include "tests/fuzz/guest/stubs.h"
#include "tests/fuzz/guest/syscalls.h"

enum call_route {
    ROUTE_SYSCALL,   /* fuzz_call */
    ROUTE_FORK,      /* fuzz_fork_call with child_mode */
    ROUTE_SIGRETURN, /* a crafted frame (signals.c) */
    ROUTE_SKIP,      /* not made; `why` says why */
};

struct call {
    int64_t nr;
    const struct syscall_desc *desc; /* NULL: a number outside the kernel's table */
    struct arg a[6];
    enum arg_kind kind[6]; /* what generated each argument */
    enum call_route route;
    enum fork_child_mode child_mode;
    const char *why; /* for a skip, or a rewrite worth printing */
};

/* True when the call is the kernel's syscall `name`. */
static inline int call_is(const struct call *c, const char *name)
{
    const char *n = c->desc != 0 ? c->desc->name : "";
    while (*n != 0 && *n == *name) {
        n++;
        name++;
    }
    return *n == 0 && *name == 0;
}

#endif

/*
 * The system calls to fuzz: exactly the guest kernel's table
 * (guest/kernel/sys/syscall_table.h, included with our own SYSCALL macro), so
 * a syscall added to the kernel is fuzzed without a change here. Argument
 * kinds come from a list of hints by name; a syscall without hints gets
 * arguments of every kind (and is named at start-up so someone adds hints).
 */
#ifndef GUEST_FUZZ_SYSCALLS_H
#define GUEST_FUZZ_SYSCALLS_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/fuzz/guest/args.h"

struct syscall_desc {
    int32_t nr;
    const char *name;
    uint32_t weight; /* relative frequency */
    bool hinted;
    enum arg_kind kinds[6];
};

extern struct syscall_desc syscalls[];
extern const uint32_t syscall_count;

/* Attaches the hints; call once. */
void syscalls_init(void);
/* The table entry for `nr`, or NULL when the kernel does not implement it. */
const struct syscall_desc *syscall_find(int64_t nr);
/* A random table entry, by weight. */
const struct syscall_desc *syscall_pick(struct rng *r);
/* A number the kernel does not implement (must give ENOSYS). */
int64_t syscall_pick_unknown(struct rng *r);

#endif

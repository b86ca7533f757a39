/*
 * System calls: syscall_entry.S → syscall_dispatch(frame), the one C entry
 * point, which looks the number up in the table (syscall_table.h) and stores
 * the result in RAX. Tracing (an strace-like view) hooks in there.
 */
#ifndef KERNEL_SYS_SYSCALL_H
#define KERNEL_SYS_SYSCALL_H

#include <stdint.h>

struct trap_frame;
struct process;
struct thread;

/* One syscall in flight: number, the six arguments (RDI, RSI, RDX, R10, R8,
 * R9), the saved user registers, the calling thread and its process. */
struct syscall_call {
    uint64_t nr;
    uint64_t arg[6];
    struct trap_frame *frame;
    struct thread *thread;
    struct process *proc;
};

/* c->nr after a handler replaced the whole user frame (rt_sigreturn, execve):
 * there is no syscall result left to restart. */
#define SYSCALL_NR_NONE (~0ull)

typedef int64_t (*syscall_fn)(struct syscall_call *c);

/* "read", "write", ...; "?" for a number Linux does not define. */
const char *syscall_name(uint64_t nr);

/* Declares sys_<name> for every implemented syscall. */
#define SYSCALL(nr, name) int64_t sys_##name(struct syscall_call *c);
#include "sys/syscall_table.h"
#undef SYSCALL

#endif

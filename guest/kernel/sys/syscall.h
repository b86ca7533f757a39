/*
 * System calls: syscall_entry.S → syscall_dispatch(frame), the one C entry
 * point, which looks the number up in the table (syscall_table.h) and stores
 * the result in RAX. Tracing (an strace-like view) hooks in there.
 */
#ifndef KERNEL_SYS_SYSCALL_H
#define KERNEL_SYS_SYSCALL_H

/* For the assembly fast path (arch/upper/syscall_entry.S). */
#define SYSCALL_TABLE_SIZE 512 /* covers every number Linux x86-64 defines today */
#define SYSCALL_CALL_SIZE 80   /* sizeof(struct syscall_call) */
#define SYSCALL_CALL_THREAD 64 /* offsetof(struct syscall_call, thread) */
#define SYSCALL_THREAD_RETURN_WORK 28 /* offsetof(struct thread, return_work) */
/* Results the way out turns into a restart or EINTR: -514 .. -512 (ERESTARTNOHAND
 * .. ERESTARTSYS, proc/signal.h). */
#define SYSCALL_RESTART_LOWEST 514
#define SYSCALL_RESTART_SPAN 2
/* User RIPs at or above this leave by IRETQ: SYSRET with a non-canonical RCX
 * faults in ring 0 on Intel. User space ends below it (mm/mm.h), so the
 * address after a SYSCALL instruction is always below. */
#define SYSCALL_SYSRET_RIP_END 0x00007ffffffff000

#ifndef __ASSEMBLER__
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

_Static_assert(sizeof(struct syscall_call) == SYSCALL_CALL_SIZE, "syscall_call");
_Static_assert(__builtin_offsetof(struct syscall_call, arg) == 8 &&
                   __builtin_offsetof(struct syscall_call, frame) == 56 &&
                   __builtin_offsetof(struct syscall_call, thread) == SYSCALL_CALL_THREAD &&
                   __builtin_offsetof(struct syscall_call, proc) == 72,
               "syscall_entry.S pushes struct syscall_call in this order");

/* The handlers by number; ENOSYS (with a --trace report) where none. */
extern const syscall_fn syscall_table[SYSCALL_TABLE_SIZE];

/* The fast path (arch/upper/syscall_entry.S) returns to user mode at once
 * unless the thread's return_work is set, the handler replaced the frame
 * (c->nr = SYSCALL_NR_NONE) or the result is a restart; otherwise it calls
 * this: the work (signal_return_to_user), then the checked exit. */
void syscall_return_work(struct syscall_call *c);

/* "read", "write", ...; "?" for a number Linux does not define. */
const char *syscall_name(uint64_t nr);

/* Declares sys_<name> for every implemented syscall. */
#define SYSCALL(nr, name) int64_t sys_##name(struct syscall_call *c);
#include "sys/syscall_table.h"
#undef SYSCALL

#endif /* __ASSEMBLER__ */

#endif

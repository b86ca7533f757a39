#include "sys/syscall.h"

#include "arch/percpu.h"
#include "arch/trap_frame.h"
#include "kernel/boot_info.h"
#include "kernel/log.h"
#include "kernel/strace_out.h"
#include "lib/errno.h"
#include "proc/signal.h"
#include "proc/thread.h"
#include "sys/strace.h"

/* Covers every number Linux x86-64 defines today. */
#define SYSCALL_TABLE_SIZE 512

static const syscall_fn table[SYSCALL_TABLE_SIZE] = {
#define SYSCALL(nr, name) [nr] = sys_##name,
#include "sys/syscall_table.h"
#undef SYSCALL
};

/* Unknown syscall numbers already reported under --trace (each only once). */
static uint64_t reported[SYSCALL_TABLE_SIZE / 64];

static int64_t unknown_syscall(const struct syscall_call *c)
{
    if (boot_trace_enabled()) {
        uint64_t nr = c->nr < SYSCALL_TABLE_SIZE ? c->nr : SYSCALL_TABLE_SIZE - 1;
        if (!(reported[nr / 64] & (1ull << (nr % 64)))) {
            reported[nr / 64] |= 1ull << (nr % 64);
            ktrace("unimplemented syscall %lu (%s): returning ENOSYS", c->nr,
                   syscall_name(c->nr));
        }
    }
    return -ENOSYS;
}

static inline __attribute__((always_inline)) int64_t run(struct syscall_call *c)
{
    if (c->nr < SYSCALL_TABLE_SIZE && table[c->nr] != 0)
        return table[c->nr](c);
    return unknown_syscall(c);
}

/* --strace: the call between its entry and exit lines. Out of line, so the
 * untraced path stays as short as it was. */
static __attribute__((noinline, cold)) int64_t run_traced(struct syscall_call *c)
{
    uint64_t nr = c->nr; /* rt_sigreturn and execve replace c->nr */
    strace_syscall_entry(c);
    int64_t result = run(c);
    strace_syscall_exit(c, nr, result);
    return result;
}

void syscall_dispatch(struct trap_frame *tf);

void syscall_dispatch(struct trap_frame *tf)
{
    struct syscall_call c = {
        .nr = tf->rax,
        .arg = {tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9},
        .frame = tf,
        .thread = current_thread(),
    };
    c.proc = c.thread->proc;
    /* --strace costs one predictable branch when it is off (a flag read at boot). */
    int64_t result = strace_enabled() ? run_traced(&c) : run(&c);
    tf->rax = (uint64_t)result;
    /* Exit work: signals (a handler frame, a restart, or the end of the process). */
    signal_return_to_user(tf, c.nr);
}

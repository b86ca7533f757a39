#include "sys/syscall.h"

#include "arch/percpu.h"
#include "arch/trap_frame.h"
#include "kernel/boot_info.h"
#include "kernel/log.h"
#include "kernel/strace_out.h"
#include "lib/errno.h"
#include "mm/mm.h"
#include "proc/signal.h"
#include "proc/thread.h"
#include "sys/strace.h"

static int64_t unknown_syscall(struct syscall_call *c);

/* Every slot has a handler (ENOSYS by default), so the assembly fast path
 * calls through it without a test. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
const syscall_fn syscall_table[SYSCALL_TABLE_SIZE] = {
    [0 ... SYSCALL_TABLE_SIZE - 1] = unknown_syscall,
#define SYSCALL(nr, name) [nr] = sys_##name,
#include "sys/syscall_table.h"
#undef SYSCALL
};
#pragma GCC diagnostic pop

/* Unknown syscall numbers already reported under --trace (each only once). */
static uint64_t reported[SYSCALL_TABLE_SIZE / 64];

static int64_t unknown_syscall(struct syscall_call *c)
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
    if (c->nr < SYSCALL_TABLE_SIZE)
        return syscall_table[c->nr](c);
    return unknown_syscall(c);
}

/* One syscall: the handler's result in RAX, then the work on the way out
 * (signals: a handler frame, a restart, or the end of the process). Under
 * --strace (`traced`) the call sits between its entry and exit lines. */
static inline __attribute__((always_inline)) void dispatch(struct trap_frame *tf, bool traced)
{
    struct syscall_call c = {
        .nr = tf->rax,
        .arg = {tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9},
        .frame = tf,
        .thread = current_thread(),
    };
    c.proc = c.thread->proc;
    if (traced) {
        uint64_t nr = c.nr; /* rt_sigreturn and execve replace c.nr */
        strace_syscall_entry(&c);
        int64_t result = run(&c);
        tf->rax = (uint64_t)result;
        strace_syscall_exit(&c, nr, result);
    } else {
        tf->rax = (uint64_t)run(&c);
    }
    signal_return_to_user(tf, c.nr);
}

/* Out of line and cold, so the untraced path stays as it was but for the
 * flag's test (the bench figures are in docs/performance.md). */
static __attribute__((noinline, cold)) void dispatch_traced(struct trap_frame *tf)
{
    dispatch(tf, true);
}

void syscall_dispatch(struct trap_frame *tf);

void syscall_dispatch(struct trap_frame *tf)
{
    /* --strace costs one predictable branch when it is off (a flag read at boot). */
    if (strace_enabled())
        dispatch_traced(tf);
    else
        dispatch(tf, false);
}

_Static_assert(__builtin_offsetof(struct thread, return_work) == SYSCALL_THREAD_RETURN_WORK,
               "asm");
_Static_assert(USER_SPACE_END <= SYSCALL_SYSRET_RIP_END,
               "a syscall's return address must be canonical without a check");
_Static_assert(SYSCALL_RESTART_LOWEST == ERESTARTNOHAND &&
                   SYSCALL_RESTART_LOWEST - SYSCALL_RESTART_SPAN == ERESTARTSYS,
               "asm");

void syscall_return_work(struct syscall_call *c)
{
    signal_return_to_user(c->frame, c->nr);
}

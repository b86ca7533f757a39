/*
 * The x86-64 Linux signal frame on the user stack (struct rt_sigframe):
 * return address (the SA_RESTORER trampoline, which calls rt_sigreturn),
 * ucontext with every register and the blocked mask, siginfo, and the
 * FPU/SSE state in FXSAVE layout (struct _fpstate) pointed to by the
 * context. rt_sigreturn restores all of it. A handler with SA_ONSTACK runs
 * on the thread's alternate stack (sigaltstack) when it has one.
 */
#ifndef KERNEL_PROC_SIGNAL_FRAME_H
#define KERNEL_PROC_SIGNAL_FRAME_H

#include <stdint.h>

#include <stdbool.h>

struct signal_stack;
struct thread;
struct trap_frame;
struct pending_info;

/* Builds the frame for `signo` below tf->rsp and points *tf at the handler;
 * blocks the handler's mask. 0, or -EFAULT when the stack cannot take it. */
int signal_frame_push(struct thread *t, struct trap_frame *tf, int signo,
                      const struct pending_info *info);

/* rt_sigreturn: restores *tf, the FPU state and the mask from the frame at
 * tf->rsp - 8 (the handler's return popped the restorer's address).
 * 0 or -EFAULT. */
int signal_frame_pop(struct thread *t, struct trap_frame *tf);

/* The 128-byte siginfo_t of signal `signo` with `info` into `out` (rt_sigtimedwait). */
void signal_siginfo_fill(void *out, int signo, const struct pending_info *info);

/* The thread's alternate stack as sigaltstack and a signal frame report it
 * with the stack pointer at `sp`: SS_DISABLE alone, or its place with
 * SS_ONSTACK when `sp` is on it and SS_AUTODISARM as set. */
struct signal_stack signal_altstack_report(const struct thread *t, uint64_t sp);

/* `sp` lies on the thread's alternate signal stack (sigaltstack). */
bool signal_on_altstack(const struct thread *t, uint64_t sp);

#endif

/*
 * --strace, the system-call part: syscall_dispatch calls these around the
 * handler when strace_enabled() (kernel/strace_out.h). The entry prints the
 * name and the arguments the call reads; the exit prints the arguments it
 * wrote (a read's data, a stat's fields) and the result, strace's way.
 */
#ifndef KERNEL_SYS_STRACE_H
#define KERNEL_SYS_STRACE_H

#include <stdint.h>

struct syscall_call;

void strace_syscall_entry(const struct syscall_call *c);

/* `nr`: the call's number as it entered (a handler may have replaced c->nr). */
void strace_syscall_exit(const struct syscall_call *c, uint64_t nr, int64_t result);

#endif

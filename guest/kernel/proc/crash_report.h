/*
 * The crash report of a process killed by a fault-like signal (SIGSEGV,
 * SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT, SIGSYS, SIGQUIT: those Linux
 * would dump core for): the signal and its si_code, the faulting address and
 * access kind, the registers, and a symbolized backtrace. The first program's
 * report goes out with its death (the VMM prints it as "minivm: crash: ..."
 * lines before "program killed by ..."); another process's only under
 * --trace, as trace lines, so programs whose children crash on purpose keep
 * their stderr as it is natively.
 */
#ifndef KERNEL_PROC_CRASH_REPORT_H
#define KERNEL_PROC_CRASH_REPORT_H

#include <stdint.h>

struct process;
struct trap_frame;
struct pending_info;

/* `p` (the current process) dies of `signo` with the user registers `tf`
 * and the signal's `info`: reports the crash when the signal is fault-like,
 * then process_die_by_signal. */
__attribute__((noreturn)) void crash_report_and_die(struct process *p, const struct trap_frame *tf,
                                                    int signo, const struct pending_info *info);

#endif

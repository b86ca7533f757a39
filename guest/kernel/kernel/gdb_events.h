/*
 * Reports to minivm's gdb stub (--gdb; minivm/gdb_events.h): the stub cannot
 * see processes by itself, so the kernel says when one is about to run its
 * first user instruction and when the program ends. Each call is one
 * hypercall when the VMM set MINIVM_BOOT_FLAG_GDB and listed a "gdb"
 * device, and nothing otherwise (a flag test).
 */
#ifndef KERNEL_GDB_EVENTS_H
#define KERNEL_GDB_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

/* --gdb is on (the VMM set MINIVM_BOOT_FLAG_GDB). */
bool gdb_events_enabled(void);

/* Process `pid` will next run user code at `rip` with the page tables at
 * physical `cr3` (the first program, and after every execve). */
void gdb_report_start(int pid, uint64_t rip, uint64_t cr3, uint64_t kstack_top);

/* Process `pid` has a new thread `tid`, whose user registers are saved just
 * below `kstack_top` while it is not running; the thread has ended. */
void gdb_report_thread(int pid, int tid, uint64_t kstack_top);
void gdb_report_thread_exit(int pid, int tid);

/* Process `pid` passed execve's point of no return (its old image is
 * still mapped). */
void gdb_report_exec(int pid);

/* A user-mode #BP/#DB (`vector`) of thread `tid`, whose frame ends at
 * `frame_end`: true when the debugger took it (no signal to deliver). */
bool gdb_report_trap(int pid, int tid, int vector, uint64_t frame_end);

/* The program (`pid`) exits with `status`, or is killed by `signo`. */
void gdb_report_exit(int pid, int status);
void gdb_report_killed(int pid, int signo);

#endif

/*
 * What the process code tells minivm's gdb stub under --gdb (kernel/
 * gdb_events.h carries it): a program about to start, threads coming and
 * going. Each is a flag test when --gdb is off.
 */
#ifndef PROC_DEBUG_EVENTS_H
#define PROC_DEBUG_EVENTS_H

#include <stdint.h>

struct process;
struct thread;

/* `t`, the only thread of `p`, returns to user mode at `entry` next (the
 * first program, or after execve): the image is made present for the
 * debugger (proc/debug_populate.h) and the stub told. */
void debug_report_start(struct process *p, const struct thread *t, uint64_t entry);

/* A new thread of its process / a thread that is ending. */
void debug_report_thread(const struct thread *t);
void debug_report_thread_exit(const struct thread *t);

#endif

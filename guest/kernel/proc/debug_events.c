#include "proc/debug_events.h"

#include <minivm/gdb_events.h>
#include <stddef.h>

#include "arch/trap_frame.h"
#include "kernel/gdb_events.h"
#include "proc/debug_populate.h"
#include "proc/process.h"
#include "proc/thread.h"

/* The stub reads a stopped thread's registers in this layout. */
_Static_assert(sizeof(struct trap_frame) == sizeof(struct gdb_user_frame), "frame size");
_Static_assert(offsetof(struct trap_frame, rax) == offsetof(struct gdb_user_frame, rax), "rax");
_Static_assert(offsetof(struct trap_frame, rip) == offsetof(struct gdb_user_frame, rip), "rip");
_Static_assert(offsetof(struct trap_frame, rsp) == offsetof(struct gdb_user_frame, rsp), "rsp");

/* Every entry from user mode builds its frame at the top of the thread's
 * kernel stack (TSS.RSP0, syscall_entry.S): the stub finds it there. */

void debug_report_start(struct process *p, const struct thread *t, uint64_t entry)
{
    if (!gdb_events_enabled())
        return;
    debug_populate(p->mm);
    gdb_report_start(p->pid, entry, p->mm->root_pa, t->kstack_top);
}

void debug_report_thread(const struct thread *t)
{
    if (gdb_events_enabled())
        gdb_report_thread(t->proc->pid, t->tid, t->kstack_top);
}

void debug_report_thread_exit(const struct thread *t)
{
    if (gdb_events_enabled())
        gdb_report_thread_exit(t->proc->pid, t->tid);
}

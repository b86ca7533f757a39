/*
 * Events the guest kernel reports to minivm's gdb stub (--gdb, boot flag
 * MINIVM_BOOT_FLAG_GDB): the stub cannot see guest processes by itself.
 * Device kind "gdb", one port, registered by the core (not a plugin) only
 * when --gdb is given; `outl` the GPA of a struct gdb_event_args
 * (minivm/hypercall.h conventions). Included by the core and the guest kernel.
 *
 * The guest is untrusted: the stub checks every field (a pid > 0, a user
 * address for rip, a page-aligned RAM address for cr3, a status 0..255, a
 * signal 1..64) and answers -EINVAL otherwise; an event can at most make the
 * stub stop the VM where gdb can see it, never make it read outside guest RAM.
 */
#ifndef MINIVM_GDB_EVENTS_H
#define MINIVM_GDB_EVENTS_H

#include <minivm/hypercall.h>

#define GDB_EVENTS_KIND "gdb"

enum gdb_event_op {
    /* A process is about to run its first user instruction at `rip` in the
     * address space whose top page table is at `cr3` (the first program, and
     * every later execve), with nothing but the return to user mode left.
     * The stub follows the first pid it hears of. */
    GDB_EVENT_START = 1,
    /* Process `pid` passed execve's point of no return; its old image still
     * exists (the stub takes its breakpoints out), the new one starts with a
     * GDB_EVENT_START. */
    GDB_EVENT_EXEC = 4,
    /* The followed process (pid 1, the program) ends: exit `status`, or
     * killed by signal `signo`. Sent just before the platform device ends the run. */
    GDB_EVENT_EXIT = 2,
    GDB_EVENT_KILLED = 3,
};

struct gdb_event_args {
    struct minivm_hc_header hdr;
    int32_t pid;
    int32_t status; /* EXIT: 0..255; KILLED: the signal number 1..64 */
    uint64_t rip;   /* START */
    uint64_t cr3;   /* START: physical address of the PML4 */
};

#endif /* MINIVM_GDB_EVENTS_H */

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
    /* Process `pid` has a new thread `tid` (clone with CLONE_THREAD); it has
     * ended (THREAD_EXIT). With START (the process's only thread, tid = pid)
     * they let gdb list the threads and read a stopped one's registers. */
    GDB_EVENT_THREAD = 5,
    GDB_EVENT_THREAD_EXIT = 6,
    /* Thread `tid` of process `pid` took a #BP (status 3) or #DB (status 1)
     * from user mode; its user registers are in the frame below `kstack_top`.
     * Result 1: the debugger took it (the thread returns to user mode with
     * the frame as the stub left it, no signal); 0: deliver SIGTRAP as
     * usual. Where KVM cannot stop a guest's user code itself (kvm_pvm), the
     * stub debugs through these reports. */
    GDB_EVENT_TRAP = 7,
};

struct gdb_event_args {
    struct minivm_hc_header hdr;
    int32_t pid;
    int32_t status; /* EXIT: 0..255; KILLED: the signal number 1..64 */
    uint64_t rip;   /* START */
    uint64_t cr3;   /* START: physical address of the PML4 */
    int32_t tid;    /* START, THREAD, THREAD_EXIT */
    int32_t pad;
    /* START, THREAD: the top of the thread's kernel stack (a kernel virtual
     * address): the TSS's RSP0 while the thread runs, which is how the stub
     * tells which thread stopped; just below it a thread that is not running
     * keeps its user registers (struct gdb_user_frame), which the stub reads
     * through the guest kernel's own page tables. */
    uint64_t kstack_top;
};

/* The user registers a thread saved on entering the kernel (the guest
 * kernel's trap frame), lowest address first, ending at kstack_top. */
struct gdb_user_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};

#endif /* MINIVM_GDB_EVENTS_H */

/*
 * Exceptions and interrupts (entered from isr.S). A fault in user mode either
 * is a demand-paging fault we resolve, or ends the program with the signal
 * Linux would send. A fault in kernel mode is a kernel bug: panic with the
 * vector, error code, CR2 and all registers.
 */
#include "arch/cpu.h"
#include "arch/ext_state.h"
#include "arch/percpu.h"
#include "arch/user_entry.h"
#include "arch/trap_frame.h"
#include "arch/uaccess_copy.h"
#include "arch/vectors.h"
#include "kernel/gdb_events.h"
#include "kernel/kernel_symbols.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/tick.h"
#include "lib/errno.h"
#include "mm/mm.h"
#include "proc/process.h"
#include "proc/thread.h"
#include "proc/signal.h"

#define PF_PRESENT (1u << 0)
#define PF_WRITE (1u << 1)
#define PF_RESERVED (1u << 3)
#define PF_FETCH (1u << 4)

void trap_dispatch(struct trap_frame *tf);

static const char *const vector_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound range", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
    "#NP segment not present", "#SS stack fault", "#GP general protection",
    "#PF page fault", "reserved", "#MF x87 error", "#AC alignment check",
    "#MC machine check", "#XM SIMD error", "#VE virtualization", "#CP control protection",
};

static const char *vector_name(uint64_t v)
{
    if (v < 32 && vector_names[v] != 0)
        return vector_names[v];
    return "reserved";
}

__attribute__((noreturn)) static void kernel_fault(const struct trap_frame *tf)
{
    static char where[96];
    kernel_symbol_name(tf->rip, false, where, sizeof where);
    panic("kernel fault: vector %lu (%s) error %#lx at %s\n"
          "rip %016lx cs %lx rflags %016lx rsp %016lx ss %lx cr2 %016lx cr3 %016lx\n"
          "rax %016lx rbx %016lx rcx %016lx rdx %016lx\n"
          "rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n"
          "r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n"
          "r13 %016lx r14 %016lx r15 %016lx",
          tf->vector, vector_name(tf->vector), tf->error_code, where, tf->rip, tf->cs, tf->rflags,
          tf->rsp, tf->ss, read_cr2(), read_cr3(), tf->rax, tf->rbx, tf->rcx, tf->rdx, tf->rsi,
          tf->rdi, tf->rbp, tf->r8, tf->r9, tf->r10, tf->r11, tf->r12, tf->r13, tf->r14, tf->r15);
}

/* The signal Linux sends for a user-mode exception. */
static int signal_for_vector(uint64_t vector)
{
    switch (vector) {
    case VEC_DE:
    case VEC_MF:
    case VEC_XM:
        return SIGFPE;
    case VEC_DB:
    case VEC_BP:
        return SIGTRAP;
    case VEC_UD:
        return SIGILL;
    case VEC_NP:
    case VEC_SS:
    case VEC_AC:
        return SIGBUS;
    default:
        return SIGSEGV; /* #GP (privileged instructions, in/out, hlt), #PF, #OF, #BR, ... */
    }
}

/* Under --trace, the whole story of an exception that ends the program. */
static void trace_fatal_exception(const struct trap_frame *tf, uint64_t addr)
{
    ktrace("fatal user exception: vector %lu (%s) error %#lx rip %#lx rsp %#lx addr %#lx "
           "rax %#lx rdi %#lx rsi %#lx rdx %#lx",
           tf->vector, vector_name(tf->vector), tf->error_code, tf->rip, tf->rsp, addr, tf->rax,
           tf->rdi, tf->rsi, tf->rdx);
}

static void user_page_fault(struct process *p, struct trap_frame *tf)
{
    uint64_t addr = read_cr2();
    if (user_entry_fault(tf, addr))
        return;
    /* A user access to kernel memory can report a reserved-bit fault under
     * PVM's shadow paging (our kernel-half large pages): that is the program's
     * fault, SIGSEGV. Only a user-half address with bad bits is our bug. */
    if ((tf->error_code & PF_RESERVED) && addr < USER_SPACE_END)
        panic("reserved bit set in a user page table entry for %#lx", addr);
    uint32_t access = ACCESS_READ;
    if (tf->error_code & PF_WRITE)
        access = ACCESS_WRITE;
    else if (tf->error_code & PF_FETCH)
        access = ACCESS_EXEC;
    int err = mm_fault(p->mm, addr, access, false);
    if (err == 0)
        return;
    if (err == -ENOMEM) {
        /* Like Linux's OOM killer: the program cannot go on without the page. */
        ktrace("out of memory on a page fault at %#lx (rip %#lx)", addr, tf->rip);
        process_die_out_of_memory(p, tf->rip, addr);
    }
    trace_fatal_exception(tf, addr);
    /* No mapping or not allowed: SIGSEGV. The file behind a mapping could not
     * be read: SIGBUS, as on Linux. A handler may take either. */
    if (err == -EFAULT)
        signal_fault(tf, SIGSEGV, mm_find_vma(p->mm, addr) != 0 ? SEGV_ACCERR : SEGV_MAPERR, addr);
    else
        signal_fault(tf, SIGBUS, BUS_ADRERR, addr);
}

/* si_code of the signal an exception other than #PF raises. */
static int32_t code_for_vector(uint64_t vector)
{
    switch (vector) {
    case VEC_DE:
        return 1; /* FPE_INTDIV */
    case VEC_UD:
        return 2; /* ILL_ILLOPN */
    case VEC_BP:
        return 1; /* TRAP_BRKPT */
    default:
        return SI_KERNEL; /* #GP and the rest, as Linux reports them */
    }
}

void trap_dispatch(struct trap_frame *tf)
{
    if (ext_state_trap(tf))
        return;
    if (tf->vector >= FIRST_EXTERNAL_VECTOR) {
        /* Interrupts are enabled only in user mode; the VMM raises the
         * tick (there is no interrupt controller to acknowledge). Any other
         * vector is stray and ignored. */
        if (tf->vector == TICK_VECTOR && trap_from_user(tf)) {
            sched_tick();
            signal_return_from_trap(tf);
        }
        return;
    }
    if (tf->vector == VEC_NMI) {
        ktrace("NMI at rip %#lx", tf->rip);
        return;
    }
    if (!trap_from_user(tf) && tf->vector == VEC_PF && uaccess_copy_fixup(tf))
        return; /* a user copy met an unmapped or read-only page: it falls back */
    /* Under --gdb a single step of a `syscall` traps once at the kernel's
     * entry (SFMASK clears TF only as the instruction completes): nothing
     * of the kernel's, let it go. */
    if (!trap_from_user(tf) && tf->vector == VEC_DB && gdb_events_enabled())
        return;
    if (!trap_from_user(tf) || tf->vector == VEC_DF || tf->vector == VEC_MC)
        kernel_fault(tf);

    if (tf->vector == VEC_PF) {
        user_page_fault(current_process(), tf);
        /* Signals from other threads, or a group exit, are seen at once. */
        signal_return_from_trap(tf);
        return;
    }
    /* A breakpoint or step of a program under gdb: the debugger's, not a signal. */
    if ((tf->vector == VEC_BP || tf->vector == VEC_DB) &&
        gdb_report_trap(current_process()->pid, current_thread()->tid, (int)tf->vector,
                        (uint64_t)(tf + 1))) {
        signal_return_from_trap(tf);
        return;
    }
    trace_fatal_exception(tf, 0);
    signal_fault(tf, signal_for_vector(tf->vector), code_for_vector(tf->vector), 0);
    signal_return_from_trap(tf);
}

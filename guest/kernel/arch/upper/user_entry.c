#include "arch/user_entry.h"

#include "arch/cpu.h"
#include "arch/trap_frame.h"
#include "kernel/panic.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/paging.h"
#include "mm/pmm.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "arch/percpu.h"
#include "arch/upper/entry_abi.h"

_Static_assert(ENTRY_USER_RFLAGS_MASK == USER_RFLAGS_MASK &&
                   ENTRY_USER_RFLAGS_SET == (RFLAGS_IF | RFLAGS_RESERVED1),
               "syscall_entry.S builds the same RFLAGS");

extern char syscall_entry[];

static uint64_t trampoline_pa;

void user_entry_init(void)
{
    trampoline_pa = pmm_alloc_zeroed_page();
    if (trampoline_pa == 0)
        panic("out of memory for the syscall trampoline");
    uint8_t *code = phys_to_virt(trampoline_pa);
    /* jmp *0(%rip), followed by the 8-byte target: no register is touched. */
    static const uint8_t jmp_indirect[6] = {0xff, 0x25, 0, 0, 0, 0};
    memcpy(code, jmp_indirect, sizeof jmp_indirect);
    uint64_t target = (uint64_t)syscall_entry;
    memcpy(code + sizeof jmp_indirect, &target, sizeof target);
    /* Anything else in the page traps: int3 */
    memset(code + sizeof jmp_indirect + sizeof target, 0xcc,
           PAGE_SIZE - sizeof jmp_indirect - sizeof target);
}

int user_entry_map(uint64_t root_pa)
{
    uint64_t *pte = pt_walk(root_pa, SYSCALL_TRAMPOLINE_VA, true, PTE_W | PTE_U);
    if (pte == 0)
        return -ENOMEM;
    *pte = trampoline_pa | PTE_P; /* supervisor, read-only, executable */
    return 0;
}

static uint64_t loaded_root;

void address_space_load(uint64_t root_pa)
{
    loaded_root = root_pa;
    write_cr3(root_pa);
}

uint64_t address_space_loaded(void)
{
    return loaded_root;
}

uint64_t user_entry_syscall_target(void)
{
    return SYSCALL_TRAMPOLINE_VA; /* not syscall_entry itself: see user_entry.h */
}

/* isr_common hands every such fault to syscall_entry.S's
 * syscall_trampoline_fault, which runs the syscall; it sends here only one
 * whose RCX (the program's, so anything: a program can also jump here
 * itself) is no place to return to, being outside the user half. */
bool user_entry_fault(struct trap_frame *tf, uint64_t fault_addr)
{
    if (tf->rip != SYSCALL_TRAMPOLINE_VA || fault_addr != SYSCALL_TRAMPOLINE_VA ||
        !(tf->error_code & ENTRY_PF_FETCH))
        return false;
    KASSERT(tf->rcx >= (uint64_t)SYSCALL_TRAMPOLINE_VA);
    process_die_by_signal(current_process(), SIGSEGV, tf->rip, fault_addr);
}

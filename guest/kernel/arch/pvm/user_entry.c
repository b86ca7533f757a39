/*
 * The entry area of the kvm_pvm kernel (arch/user_entry.h, docs/pvm.md §6):
 * the pages an exception from user mode needs before isr_common has loaded
 * the kernel PGD. They are mapped, with the U bit, into one chain of page
 * tables built at boot, which the user PGD of every pair points to for the
 * kernel window's PML4 slot; user code can read them, so they hold nothing
 * secret (code, descriptor tables, the running process's own registers).
 */
#include "arch/user_entry.h"

#include "arch/cpu.h"
#include "kernel/panic.h"
#include "mm/addr.h"
#include "mm/mm.h"
#include "mm/kernel_vm.h"
#include "mm/paging.h"
#include "mm/pmm.h"

/* entry.S's copy of USER_SPACE_END (assembly cannot include mm.h). */
_Static_assert(USER_SPACE_END == 0x00007efffffff000ull, "arch/pvm/entry.S USER_SPACE_END");

extern char __entry_text_start[], __entry_text_end[], __entry_rodata_start[],
    __entry_rodata_end[], __entry_data_start[], __entry_data_end[], __entry_stack_start[],
    __entry_stack_end[];
extern char syscall_entry[];
extern uint64_t pvm_kernel_root;

/* The user PGDs' PML4 entry for the kernel window's slot: the entry area alone. */
static uint64_t entry_slot_entry;

static void map_entry_part(uint64_t root, const char *start, const char *end, uint64_t flags)
{
    if (pt_map_range(root, (uint64_t)start, virt_to_phys(start), (uint64_t)(end - start),
                     flags | PTE_P | PTE_U, PTE_W | PTE_U) != 0)
        panic("out of memory mapping the entry area");
}

void user_entry_init(void)
{
    /* A scratch PML4 collects the area's tables; only its one entry is kept. */
    uint64_t scratch = pmm_alloc_zeroed_page();
    if (scratch == 0)
        panic("out of memory mapping the entry area");
    map_entry_part(scratch, __entry_text_start, __entry_text_end, 0);             /* R X */
    map_entry_part(scratch, __entry_rodata_start, __entry_rodata_end, PTE_NX);    /* R   */
    map_entry_part(scratch, __entry_data_start, __entry_data_end, PTE_NX);        /* R   */
    map_entry_part(scratch, __entry_stack_start, __entry_stack_end, PTE_W | PTE_NX); /* RW */
    entry_slot_entry = ((const uint64_t *)phys_to_virt(scratch))[KERNEL_WINDOW_SLOT];
    pmm_free_page(scratch);
    user_entry_map(kernel_vm_root());
}

int user_entry_map(uint64_t root_pa)
{
    uint64_t *user_pgd = phys_to_virt(root_pa + PAGE_SIZE);
    user_pgd[KERNEL_WINDOW_SLOT] = entry_slot_entry;
    return 0;
}

void address_space_load(uint64_t root_pa)
{
    pvm_kernel_root = root_pa;
    write_cr3(root_pa);
}

uint64_t address_space_loaded(void)
{
    return pvm_kernel_root;
}

uint64_t user_entry_syscall_target(void)
{
    return (uint64_t)syscall_entry;
}

bool user_entry_fault(struct trap_frame *tf, uint64_t fault_addr)
{
    (void)tf;
    (void)fault_addr;
    return false; /* SYSCALL really enters the kernel here */
}

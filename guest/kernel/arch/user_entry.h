/*
 * How user mode enters the kernel, one implementation per kernel build:
 *
 * - arch/upper/ (the higher-half kernel): LSTAR points at a trampoline page,
 *   supervisor-only, at the top of the lower half, holding `jmp *syscall_entry`.
 *   On hardware KVM, SYSCALL enters CPL 0 there and jumps on. Under kvm_pvm
 *   with the kernel emulated, SYSCALL moves RIP to LSTAR but stays at user
 *   privilege; the fetch of the supervisor page faults, and that #PF (RIP =
 *   CR2 = the trampoline, from user mode, RCX/R11 as SYSCALL defines) is
 *   turned into the syscall it is before any C runs (isr_common, then
 *   syscall_trampoline_fault in arch/upper/syscall_entry.S).
 *
 * - arch/pvm/ (kvm_pvm's native mode, docs/pvm.md): LSTAR is syscall_entry
 *   itself; exceptions from user mode arrive on the user PGD, which maps only
 *   the user range and the entry area (IDT, GDT, TSS, stubs, entry stack, the
 *   return trampoline): user_entry_map puts the area into each PGD pair.
 */
#ifndef KERNEL_ARCH_USER_ENTRY_H
#define KERNEL_ARCH_USER_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

struct trap_frame;

/* Builds what every address space shares (once, after kernel_vm_init). */
void user_entry_init(void);

/* Maps it into the address space rooted at `root_pa`: 0 or -ENOMEM. */
int user_entry_map(uint64_t root_pa);

/* Loads the address space rooted at `root_pa` (CR3), and tells the entry path
 * which kernel PGD to switch to on an exception from user mode. */
void address_space_load(uint64_t root_pa);
/* The root address_space_load loaded last (no CR3 read: that exits under PVM). */
uint64_t address_space_loaded(void);

/* The SYSCALL target (MSR_LSTAR). */
uint64_t user_entry_syscall_target(void);

/*
 * For a user-mode #PF that reaches C: if it is the SYSCALL-at-user-privilege
 * fault described above (the entry code ran every one it could return
 * from), the program asked to return outside the user half: it ends with
 * SIGSEGV. False for any other fault.
 */
bool user_entry_fault(struct trap_frame *tf, uint64_t fault_addr);

#endif

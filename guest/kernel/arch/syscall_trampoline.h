/*
 * The SYSCALL entry point as the CPU sees it (MSR_LSTAR): one supervisor-only,
 * read-only, executable page at the top of the lower half, mapped into every
 * address space, holding `jmp *syscall_entry`.
 *
 * Why not point LSTAR at syscall_entry directly: on hardware KVM, SYSCALL
 * enters CPL 0 at LSTAR and the trampoline just jumps on. Under PVM in its
 * mode for unmodified kernels (the KVM of our CI machines, see
 * docs/performance.md), SYSCALL from user mode moves RIP to LSTAR but leaves
 * the CPU at user privilege; the fetch of this supervisor page then faults,
 * and that #PF (RIP = CR2 = the trampoline, from user mode) reaches the kernel
 * through the IDT like any exception, with RCX and R11 holding the return
 * RIP and RFLAGS as SYSCALL defines. The page-fault handler turns it into the
 * syscall it is. One entry address serves both hosts without detecting either.
 */
#ifndef KERNEL_ARCH_SYSCALL_TRAMPOLINE_H
#define KERNEL_ARCH_SYSCALL_TRAMPOLINE_H

#include <stdbool.h>
#include <stdint.h>

/* The page just above the user half (Linux's TASK_SIZE), never a user mapping. */
#define SYSCALL_TRAMPOLINE_VA 0x7ffffffff000ull

struct trap_frame;

/* Writes the trampoline page (once, at boot). */
void syscall_trampoline_init(void);

/* Maps the trampoline into the address space rooted at `root_pa`: 0 or -ENOMEM. */
int syscall_trampoline_map(uint64_t root_pa);

/*
 * For a user-mode #PF: if it is the SYSCALL-at-user-privilege fault described
 * above, runs the syscall and returns true (the frame then returns to the
 * instruction after the program's SYSCALL).
 */
bool syscall_trampoline_fault(struct trap_frame *tf, uint64_t fault_addr);

#endif

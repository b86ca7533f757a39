/*
 * GDT selectors: exactly Linux's x86-64 layout. The order is fixed by
 * SYSCALL/SYSRET (SYSCALL: CS = STAR[47:32], SS = CS + 8; 64-bit SYSRET:
 * CS = STAR[63:48] + 16, SS = STAR[63:48] + 8, both with RPL 3), and the
 * values must be Linux's too: under PVM (the KVM of our CI machines, see
 * docs/performance.md) user mode runs on the host's GDT, where 0x23 is the
 * 32-bit user code segment and 0x33/0x2b the 64-bit user code/data. Using
 * other selectors there runs the program in compatibility mode.
 * Usable from assembly.
 */
#ifndef KERNEL_ARCH_SEGMENTS_H
#define KERNEL_ARCH_SEGMENTS_H

#define SEL_KERNEL_CODE 0x10
#define SEL_KERNEL_DATA 0x18
#define SEL_USER32_CODE 0x23 /* unused by us; SYSRET's base */
#define SEL_USER_DATA 0x2b
#define SEL_USER_CODE 0x33
#define SEL_TSS 0x40

/* The code selector of the IDT gates. In kvm_pvm's native mode the kernel runs
 * at hardware CPL 3 on selector 0x33, and the host delivers an exception through
 * a gate naming 0x10 with a #SS (docs/pvm.md §6): there the gates name 0x33. */
#ifdef MINIVM_KERNEL_PVM
#define SEL_IDT_GATE SEL_USER_CODE
#else
#define SEL_IDT_GATE SEL_KERNEL_CODE
#endif

#define SYSRET_BASE_SELECTOR SEL_USER32_CODE /* STAR[63:48] */

/* IST slots (1-based, as in the IDT gate) for exceptions that need a known-good stack. */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3

#endif

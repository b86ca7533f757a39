/*
 * Kernel stacks. Each static stack has an unmapped guard page below it (see
 * kernel_vm.c), so an overflow faults (then double-faults onto the IST stack
 * and panics) instead of silently corrupting memory. Usable from assembly.
 */
#ifndef KERNEL_ARCH_STACKS_H
#define KERNEL_ARCH_STACKS_H

#define KSTACK_GUARD_SIZE 4096
#define BOOT_STACK_SIZE (16 * 1024)
#define IST_STACK_SIZE (8 * 1024)
/* Per-process kernel stack (syscalls and exceptions from user mode). */
#define PROCESS_KSTACK_SIZE (16 * 1024)

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Guard page first: stacks grow down, into it. */
#define DEFINE_GUARDED_STACK(name, size)                                            \
    struct {                                                                        \
        uint8_t guard[KSTACK_GUARD_SIZE];                                           \
        uint8_t stack[size];                                                        \
    } name __attribute__((aligned(4096), section(".bss.page_aligned")))

/* Top-of-stack addresses of the static stacks (boot stack, IST stacks). */
uint64_t boot_stack_top(void);
uint64_t ist_stack_top(int ist);
/* Addresses of the guard pages of all static stacks, for kernel_vm.c. */
unsigned static_stack_guards(uint64_t *out, unsigned max);

#endif
#endif

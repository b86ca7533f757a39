/*
 * Kernel entry. The VMM enters here in 64-bit mode at CPL 0 with RSP = 0 and
 * RDI = physical address of the boot info (boot_info.h). The first thing is a
 * stack; everything else happens in C (kmain), which never returns.
 */
#include "arch/stacks.h"

    .section .text.boot, "ax"
    .code64
    .global _start
    .type _start, @function /* sized: panic backtraces name it (kernel_symbols.c) */
_start:
    cli
    cld
    leaq boot_stack + KSTACK_GUARD_SIZE + BOOT_STACK_SIZE(%rip), %rsp
    xorl %ebp, %ebp         /* ends frame-pointer backtraces */
    /* %rdi (boot info GPA) is kmain's first argument as is. */
    call kmain
1:  cli
    hlt
    jmp 1b
    .size _start, . - _start

/*
 * Interrupt/exception entry stubs for all 256 vectors, each 16 bytes long
 * (the IDT, idt_table.S, points gate n at isr_stubs + 16 * n). Vectors for which the CPU does
 * not push an error code push 0, so every frame has the same layout
 * (trap_frame.h). SWAPGS happens only when we came from user mode.
 */
#include "arch/trap_frame.h"

    .text
    .code64

/* One stub; `n` is a number (expanded with %vec under .altmacro). */
.macro ISR_STUB n
    .balign 16
isr_stub_\n:
    .if (\n == 8) || (\n == 10) || (\n == 11) || (\n == 12) || (\n == 13) || (\n == 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
    /* the CPU pushed an error code */
    .else
    pushq $0
    .endif
    pushq $\n
    /* jmp rel32 isr_common, spelled out so its size is fixed and the length
     * check below is a constant expression */
    .byte 0xe9
    .long isr_common - (. + 4)
    .if (. - isr_stub_\n) > 16
    .error "isr stub longer than 16 bytes"
    .endif
.endm

    /* 4 KiB-aligned: see idt_table.S (linker.ld checks it). */
    .balign 4096
    .global isr_stubs
isr_stubs:
    .altmacro
    .set vec, 0
    .rept 256
    ISR_STUB %vec
    .set vec, vec + 1
    .endr
    .noaltmacro

isr_common:
    testb $3, 16 + 8(%rsp)      /* CS of the interrupted context (after vector, error code) */
    jz 1f
    swapgs
1:
    PUSH_GENERAL_REGISTERS
    cld
    movq %rsp, %rdi
    call trap_dispatch
    jmp trap_return

/* The common exit: restores *frame at %rsp and returns with iretq. */
    .global trap_return
trap_return:
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp              /* vector, error code */
    testb $3, 8(%rsp)           /* returning to user mode? */
    jz 2f
    swapgs
2:
    iretq

/* void trap_return_to(struct trap_frame *tf): leave through the common exit. */
    .global trap_return_to
trap_return_to:
    movq %rdi, %rsp
    jmp trap_return

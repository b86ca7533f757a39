/*
 * Interrupt/exception entry stubs for all 256 vectors, each 16 bytes long
 * (the IDT, idt_table.S, points gate n at isr_stubs + 16 * n). Vectors for which the CPU does
 * not push an error code push 0, so every frame has the same layout
 * (trap_frame.h). They jump to isr_common: arch/upper/trap_entry.S or
 * arch/pvm/entry.S. They live in the entry area (.entry.text), which the
 * PVM kernel maps into every user PGD: user-mode exceptions arrive there.
 */
#include "arch/trap_frame.h"

    .section .entry.text, "ax"
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


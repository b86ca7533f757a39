/*
 * The IDT, built by the assembler and the linker instead of a loop at boot:
 * filling 256 gates cost ~3,900 emulated instructions where the kernel is
 * emulated (PVM), a sixth of a program's start-up.
 *
 * Every vector has an interrupt gate (IF cleared on entry) to its stub in
 * isr.S. Double fault, NMI and machine check run on their own IST stacks so
 * they work even when the kernel stack is gone. #BP and #OF are reachable
 * from user mode (DPL 3) so `int3`/`into` give SIGTRAP/SIGSEGV like on Linux;
 * every other `int n` from user mode is a #GP.
 *
 * A gate splits its handler's address into three fields, which only the
 * linker can compute: linker.ld defines __isr_gate_low (bits 0-15 and 16-31
 * of isr_stubs in their places) and __isr_gate_high (bits 32-63). isr_stubs
 * is 4 KiB-aligned (checked there), so stub n at isr_stubs + 16 * n never
 * carries out of bits 0-15 and the gates differ only in that field.
 *
 * The gate selector is the kernel CS, except in kvm_pvm's native mode
 * (SEL_IDT_GATE, segments.h).
 */
#include "arch/segments.h"
#include "arch/vectors.h"


#define GATE_INTERRUPT 0x8e /* present, 64-bit interrupt gate; DPL in bits 5-6 */

/* The gate of vector `vec`. */
.macro IDT_GATE
    .if vec == VEC_DF
    .set gate_ist, IST_DOUBLE_FAULT
    .elseif vec == VEC_NMI
    .set gate_ist, IST_NMI
    .elseif vec == VEC_MC
    .set gate_ist, IST_MACHINE_CHECK
    .else
    .set gate_ist, 0
    .endif
    .if (vec == VEC_BP) || (vec == VEC_OF)
    .set gate_dpl, 3
    .else
    .set gate_dpl, 0
    .endif
    .quad __isr_gate_low + 16 * vec + (SEL_IDT_GATE << 16) + (gate_ist << 32) + ((GATE_INTERRUPT | (gate_dpl << 5)) << 40)
    .quad __isr_gate_high
.endm

    /* In the entry area: the PVM kernel's user PGD maps it too. */
    .section .entry.rodata, "a"
    .balign 16
    .global idt_table
idt_table:
    .set vec, 0
    .rept 256
    IDT_GATE
    .set vec, vec + 1
    .endr
    .global idt_table_end
idt_table_end:

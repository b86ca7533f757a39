/*
 * The common exception path of the higher-half kernel (hardware KVM, and
 * kvm_pvm with the kernel emulated): for an entry from user mode the CPU has
 * already switched to the process's kernel stack (TSS.RSP0). SWAPGS happens
 * only when we came from or return to user mode. Exits with IRETQ.
 */
#include "arch/trap_frame.h"

    .text
    .code64

    .global isr_common
isr_common:
    testb $3, 16 + 8(%rsp)      /* CS of the interrupted context (after vector, error code) */
    jz 1f
    swapgs
1:
    DISPATCH_TRAP

/* The common exit: restores *frame at %rsp and returns with iretq. */
    .global trap_return
trap_return:
    POP_GENERAL_REGISTERS
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

/* arch/ext_state.c's upcall: void ext_upcall_enter(uint64_t *save_sp,
 * struct trap_frame *tf) leaves for user mode with *tf, keeping the
 * callee-saved registers on this stack; ext_upcall_resume(sp), called from
 * the trap the user-mode stub ends with, returns from ext_upcall_enter. */
    .global ext_upcall_enter
ext_upcall_enter:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    jmp trap_return

    .global ext_upcall_resume
ext_upcall_resume:
    movq %rdi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

/*
 * The common exception path of the higher-half kernel (hardware KVM, and
 * kvm_pvm with the kernel emulated): for an entry from user mode the CPU has
 * already switched to the process's kernel stack (TSS.RSP0). SWAPGS happens
 * only when we came from or return to user mode. Exits with IRETQ.
 */
#include "arch/trap_frame.h"
#include "arch/upper/entry_abi.h"
#include "arch/vectors.h"

    .text
    .code64

    .global isr_common
isr_common:
    testb $3, 16 + 8(%rsp)      /* CS of the interrupted context (after vector, error code) */
    jz 1f
    swapgs
    /* Under kvm_pvm's emulated kernel a SYSCALL arrives as a user fetch fault
     * on the trampoline (arch/user_entry.h): straight to the syscall path. */
    cmpq $VEC_PF, (%rsp)
    jne 1f
    testb $ENTRY_PF_FETCH, 8(%rsp)
    jz 1f
    /* RIP == SYSCALL_TRAMPOLINE_VA, in halves: no register is free yet. */
    cmpl $(SYSCALL_TRAMPOLINE_VA & 0xffffffff), 16(%rsp)
    jne 1f
    cmpl $(SYSCALL_TRAMPOLINE_VA >> 32), 16 + 4(%rsp)
    je syscall_trampoline_fault
1:
    DISPATCH_TRAP

/* The common exit: restores *frame at %rsp and returns with iretq. */
    .global trap_return
trap_return:
    POP_GENERAL_REGISTERS
    addq $16, %rsp              /* vector, error code */
    testb $3, 8(%rsp)           /* returning to user mode? */
    jz 2f
    /* Every return to user mode from a trap or an interrupt passes here, and
     * so does the first entry of all: the end of the boot for tools/insn_count. */
    .global trap_return_to_user
trap_return_to_user:
    swapgs
2:
    iretq

/* void trap_return_to(struct trap_frame *tf): leave through the common exit. */
    .global trap_return_to
trap_return_to:
    movq %rdi, %rsp
    jmp trap_return

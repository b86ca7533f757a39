/*
 * Entry and exit of the kernel in kvm_pvm's native mode (docs/pvm.md §4, §6).
 * The kernel runs at hardware CPL 3; the host keeps an 8 KiB-aligned PGD pair
 * per address space and flips between its halves: SYSCALL enters on the
 * kernel PGD, SYSRETQ leaves on the user PGD, and an exception from user mode
 * is delivered through our IDT while the user PGD is still loaded. So:
 *
 *  - SYSCALL: straight to syscall_entry (LSTAR), no SWAPGS (privileged here,
 *    and there is no FSGSBASE): the per-CPU block is a global.
 *  - Exceptions from user mode: the stubs (isr.S), the IDT, GDT and TSS and
 *    the entry stack (TSS.RSP0) are in the entry area, which every user PGD
 *    maps. isr_common loads the kernel PGD of the running address space
 *    (pvm_kernel_root), moves the frame to the process's kernel stack and
 *    wipes the entry stack, which every process can read.
 *  - Back to user mode: only SYSRETQ enters user mode and flips to the user
 *    PGD (IRETQ stays in virtual supervisor mode). Where RCX and R11 must come
 *    back too, SYSRETQ goes to pvm_user_return, a user-mode trampoline in the
 *    entry area that reloads them and jumps to the saved RIP from
 *    pvm_return_cell (the running process's own registers, read-only for it).
 *  - Kernel-mode exceptions stay on the kernel stack and PGD and return with
 *    IRETQ, as on hardware.
 */
#include "arch/percpu.h"
#include "arch/segments.h"
#include "arch/trap_frame.h"

#define USER_SPACE_END 0x00007efffffff000 /* mm.h; checked in user_entry.c */

    .section .entry.data, "aw"
    .balign 64
    .global pvm_kernel_root
pvm_kernel_root:
    .quad 0                     /* kernel PGD of the loaded address space */
pvm_return_cell:
    .quad 0, 0, 0               /* rcx, r11, rip for pvm_user_return */

    /* The entry stack (TSS.RSP0), one page of its own: user PGDs map it writable. */
    .section .entry.stack, "aw", @nobits
    .balign 4096
    .skip 4096

    .section .entry.text, "ax"
    .code64

    .global isr_common
isr_common:
    testb $3, 16 + 8(%rsp)      /* CS of the interrupted context (after vector, error code) */
    jz isr_on_kernel_stack
    /* From user mode: user PGD, entry stack = vector, error, rip, cs, rflags, rsp, ss. */
    pushq %rax
    movq pvm_kernel_root(%rip), %rax
    movq %rax, %cr3
    pushq %rbx
    movq percpu_cpu0 + PERCPU_KERNEL_RSP(%rip), %rax
    subq $72, %rax              /* rbx, rax and the 7 words above them */
    .irp off, 0, 8, 16, 24, 32, 40, 48, 56, 64
    movq \off(%rsp), %rbx
    movq %rbx, \off(%rax)
    movq $0, \off(%rsp)
    .endr
    movq %rax, %rsp
    popq %rbx
    popq %rax
    jmp isr_on_kernel_stack

/* User mode, user PGD: the last step of a return that restores RCX and R11. */
pvm_user_return:
    movq pvm_return_cell(%rip), %rcx
    movq pvm_return_cell + 8(%rip), %r11
    jmpq *pvm_return_cell + 16(%rip)

    .text
isr_on_kernel_stack:
    DISPATCH_TRAP

/* The common exit: restores *frame at %rsp. */
    .global trap_return
trap_return:
    testb $3, TRAP_FRAME_CS(%rsp)
    jnz 1f
    POP_GENERAL_REGISTERS
    addq $16, %rsp              /* vector, error code */
    iretq
1:  /* to user mode: SYSRETQ to pvm_user_return, which restores RCX, R11, RIP */
    movq TRAP_FRAME_RCX(%rsp), %rax
    movq %rax, pvm_return_cell(%rip)
    movq TRAP_FRAME_R11(%rsp), %rax
    movq %rax, pvm_return_cell + 8(%rip)
    movq TRAP_FRAME_RIP(%rsp), %rax
    movq %rax, pvm_return_cell + 16(%rip)
    POP_FOR_SYSRET
    leaq pvm_user_return(%rip), %rcx
    sysretq

/* void trap_return_to(struct trap_frame *tf): leave through the common exit. */
    .global trap_return_to
trap_return_to:
    movq %rdi, %rsp
    jmp trap_return

/* SYSCALL: RCX = user RIP, R11 = user RFLAGS, RSP still the user's. */
    .global syscall_entry
syscall_entry:
    movq %rsp, percpu_cpu0 + PERCPU_USER_RSP(%rip)
    movq percpu_cpu0 + PERCPU_KERNEL_RSP(%rip), %rsp
    SYSCALL_FRAME_AND_DISPATCH percpu_cpu0 + PERCPU_USER_RSP(%rip)
    JUMP_UNLESS_SYSRET_EXACT trap_return, USER_SPACE_END
    POP_FOR_SYSRET
    sysretq

/*
 * SYSCALL entry. The CPU has put the user RIP in RCX and RFLAGS in R11, loaded
 * kernel CS/SS from STAR and masked RFLAGS with SFMASK (IF, DF, TF, AC off);
 * RSP is still the user's. We switch to the process's kernel stack, build a
 * struct trap_frame like an exception would, and call syscall_dispatch(frame),
 * the one C entry point for all syscalls.
 *
 * Exit: SYSRET when the frame still describes an ordinary return to 64-bit
 * user code at a canonical lower-half RIP; otherwise IRETQ, because SYSRET with
 * a non-canonical RCX faults in ring 0 on Intel CPUs (with the user's RSP).
 */
#include "arch/percpu.h"
#include "arch/segments.h"
#include "arch/trap_frame.h"

    .text
    .code64
    .global syscall_entry
syscall_entry:
    swapgs
    movq %rsp, %gs:PERCPU_USER_RSP
    movq %gs:PERCPU_KERNEL_RSP, %rsp
    pushq $SEL_USER_DATA            /* ss */
    pushq %gs:PERCPU_USER_RSP       /* rsp */
    pushq %r11                      /* rflags */
    pushq $SEL_USER_CODE            /* cs */
    pushq %rcx                      /* rip */
    pushq $0                        /* error code */
    pushq $TRAP_VECTOR_SYSCALL      /* vector */
    PUSH_GENERAL_REGISTERS
    movq %rsp, %rdi
    call syscall_dispatch

    /* SYSRET only for a plain return to user code with a canonical RIP. */
    cmpq $SEL_USER_CODE, TRAP_FRAME_CS(%rsp)
    jne trap_return
    cmpq $SEL_USER_DATA, TRAP_FRAME_SS(%rsp)
    jne trap_return
    movq TRAP_FRAME_RIP(%rsp), %rcx
    movq $0x00007ffffffff000, %r11
    cmpq %r11, %rcx
    jae trap_return
    cmpq TRAP_FRAME_RCX(%rsp), %rcx /* RCX/R11 restored to other values */
    jne trap_return                 /* (rt_sigreturn): SYSRET would lose them */
    movq TRAP_FRAME_RFLAGS(%rsp), %r11
    cmpq TRAP_FRAME_R11(%rsp), %r11
    jne trap_return
    testq $0x100, %r11              /* TF: single-step wants IRETQ semantics */
    jnz trap_return

    popq %r15
    popq %r14
    popq %r13
    popq %r12
    addq $8, %rsp                   /* r11: becomes RFLAGS below */
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    addq $8, %rsp                   /* rcx: becomes RIP below */
    popq %rbx
    popq %rax
    addq $16, %rsp                  /* vector, error code */
    movq (%rsp), %rcx               /* rip */
    movq 16(%rsp), %r11             /* rflags */
    movq 24(%rsp), %rsp             /* user rsp: the frame is gone from here on */
    swapgs
    sysretq

/*
 * The register frame every entry from user mode or exception builds on the
 * kernel stack (isr.S, syscall_entry.S), lowest address first. Syscalls use the
 * same layout (vector = TRAP_VECTOR_SYSCALL) so a future signal delivery,
 * fork or ptrace-like tracer sees one format.
 */
#ifndef KERNEL_ARCH_TRAP_FRAME_H
#define KERNEL_ARCH_TRAP_FRAME_H

#include "arch/segments.h"

#define TRAP_VECTOR_SYSCALL 0x100
/* Byte offsets used by the assembly entry code. */
#define TRAP_FRAME_R11 32
#define TRAP_FRAME_R10 40
#define TRAP_FRAME_R9 48
#define TRAP_FRAME_R8 56
#define TRAP_FRAME_RDI 72
#define TRAP_FRAME_RSI 80
#define TRAP_FRAME_RDX 88
#define TRAP_FRAME_RCX 96
#define TRAP_FRAME_RAX 112
#define TRAP_FRAME_VECTOR 120
#define TRAP_FRAME_ERROR 128
#define TRAP_FRAME_RIP 136
#define TRAP_FRAME_CS 144
#define TRAP_FRAME_RFLAGS 152
#define TRAP_FRAME_RSP 160
#define TRAP_FRAME_SS 168
#define TRAP_FRAME_SIZE 176

#ifdef __ASSEMBLER__
/* Pushes the general registers in struct trap_frame order (rax first, so r15
 * ends at the lowest address): the one definition both entry paths use. */
.macro PUSH_GENERAL_REGISTERS
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
.endm

/* With the CPU's frame, vector and error code on the kernel stack: completes
 * the trap frame and calls trap_dispatch(frame), then leaves by trap_return. */
.macro DISPATCH_TRAP
    PUSH_GENERAL_REGISTERS
    cld
    movq %rsp, %rdi
    call trap_dispatch
    jmp trap_return
.endm

/* The reverse of PUSH_GENERAL_REGISTERS, for a return with IRETQ: RSP then points at the vector. */
.macro POP_GENERAL_REGISTERS
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
.endm

/*
 * For a return with SYSRETQ, which takes RIP from RCX and RFLAGS from R11:
 * pops the other registers, skips the vector and error code, and leaves
 * RCX = frame RIP, R11 = frame RFLAGS, RSP = the user's RSP (the frame is
 * gone from then on). The caller checked that the frame allows it.
 */
.macro POP_FOR_SYSRET
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    addq $8, %rsp                   /* r11: becomes RFLAGS */
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    addq $8, %rsp                   /* rcx: becomes RIP */
    popq %rbx
    popq %rax
    addq $16, %rsp                  /* vector, error code */
    movq (%rsp), %rcx               /* rip */
    movq 16(%rsp), %r11             /* rflags */
    movq 24(%rsp), %rsp             /* user rsp */
.endm

/*
 * Jumps to `slow` unless the frame at RSP (after a syscall) is a plain return
 * to 64-bit user code that SYSRETQ can make exactly: user CS/SS, a user RIP
 * below `rip_end` (SYSRET with a non-canonical RCX faults in ring 0 on Intel),
 * RCX/R11 equal to what SYSRET leaves there (rt_sigreturn restores other
 * values), no single-stepping (TF wants IRETQ semantics). Clobbers RCX, R11.
 */
.macro JUMP_UNLESS_SYSRET_EXACT slow, rip_end
    cmpq $SEL_USER_CODE, TRAP_FRAME_CS(%rsp)
    jne \slow
    cmpq $SEL_USER_DATA, TRAP_FRAME_SS(%rsp)
    jne \slow
    movq TRAP_FRAME_RIP(%rsp), %rcx
    movq $\rip_end, %r11
    cmpq %r11, %rcx
    jae \slow
    cmpq TRAP_FRAME_RCX(%rsp), %rcx
    jne \slow
    movq TRAP_FRAME_RFLAGS(%rsp), %r11
    cmpq TRAP_FRAME_R11(%rsp), %r11
    jne \slow
    testq $0x100, %r11
    jnz \slow
.endm

/* Builds the syscall trap frame on the kernel stack (RSP) from what SYSCALL
 * left: RCX = user RIP, R11 = user RFLAGS; `user_rsp` names where the entry
 * saved the user's RSP. */
.macro SYSCALL_FRAME user_rsp
    pushq $SEL_USER_DATA            /* ss */
    pushq \user_rsp                 /* rsp */
    pushq %r11                      /* rflags */
    pushq $SEL_USER_CODE            /* cs */
    pushq %rcx                      /* rip */
    pushq $0                        /* error code */
    pushq $TRAP_VECTOR_SYSCALL      /* vector */
    PUSH_GENERAL_REGISTERS
.endm

/* The frame, then syscall_dispatch(frame). */
.macro SYSCALL_FRAME_AND_DISPATCH user_rsp
    SYSCALL_FRAME \user_rsp
    movq %rsp, %rdi
    call syscall_dispatch
.endm
#else
#include <stdint.h>

struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code;
    /* pushed by the CPU (or built by syscall_entry.S) */
    uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(__builtin_offsetof(struct trap_frame, r11) == TRAP_FRAME_R11, "frame");
_Static_assert(__builtin_offsetof(struct trap_frame, rcx) == TRAP_FRAME_RCX, "frame");
_Static_assert(__builtin_offsetof(struct trap_frame, r10) == TRAP_FRAME_R10, "frame");
_Static_assert(__builtin_offsetof(struct trap_frame, r9) == TRAP_FRAME_R9, "frame");
_Static_assert(__builtin_offsetof(struct trap_frame, r8) == TRAP_FRAME_R8, "frame");
_Static_assert(__builtin_offsetof(struct trap_frame, rdi) == TRAP_FRAME_RDI, "frame");
_Static_assert(__builtin_offsetof(struct trap_frame, rsi) == TRAP_FRAME_RSI, "frame");
_Static_assert(__builtin_offsetof(struct trap_frame, rdx) == TRAP_FRAME_RDX, "frame");
_Static_assert(__builtin_offsetof(struct trap_frame, rax) == TRAP_FRAME_RAX, "frame");
_Static_assert(__builtin_offsetof(struct trap_frame, vector) == TRAP_FRAME_VECTOR, "frame");
_Static_assert(__builtin_offsetof(struct trap_frame, error_code) == TRAP_FRAME_ERROR, "frame");
_Static_assert(__builtin_offsetof(struct trap_frame, rip) == TRAP_FRAME_RIP, "frame");
_Static_assert(__builtin_offsetof(struct trap_frame, cs) == TRAP_FRAME_CS, "frame");
_Static_assert(__builtin_offsetof(struct trap_frame, rflags) == TRAP_FRAME_RFLAGS, "frame");
_Static_assert(__builtin_offsetof(struct trap_frame, rsp) == TRAP_FRAME_RSP, "frame");
_Static_assert(__builtin_offsetof(struct trap_frame, ss) == TRAP_FRAME_SS, "frame");
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "frame");

static inline int trap_from_user(const struct trap_frame *tf)
{
    return (tf->cs & 3) == 3;
}

/* Leaves the kernel through the common exit path with the registers in *tf
 * (iretq). Used to enter user mode the first time. */
__attribute__((noreturn)) void trap_return_to(struct trap_frame *tf);

#endif
#endif

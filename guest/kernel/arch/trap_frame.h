/*
 * The register frame every entry from user mode or exception builds on the
 * kernel stack (isr.S, syscall_entry.S), lowest address first. Syscalls use the
 * same layout (vector = TRAP_VECTOR_SYSCALL) so a future signal delivery,
 * fork or ptrace-like tracer sees one format.
 */
#ifndef KERNEL_ARCH_TRAP_FRAME_H
#define KERNEL_ARCH_TRAP_FRAME_H

#define TRAP_VECTOR_SYSCALL 0x100
/* Byte offsets used by the assembly entry code. */
#define TRAP_FRAME_R11 32
#define TRAP_FRAME_RCX 96
#define TRAP_FRAME_VECTOR 120
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
_Static_assert(__builtin_offsetof(struct trap_frame, vector) == TRAP_FRAME_VECTOR, "frame");
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

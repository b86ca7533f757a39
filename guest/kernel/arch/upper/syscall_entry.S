/*
 * System-call entry of the higher-half kernel, two ways in:
 *
 * - syscall_entry (LSTAR's trampoline jumps here; hardware KVM): the CPU has
 *   put the user RIP in RCX and RFLAGS in R11, loaded kernel CS/SS from STAR
 *   and masked RFLAGS with SFMASK (IF, DF, TF, AC, NT off); RSP is still the
 *   user's. We switch to the process's kernel stack (per-CPU data through GS
 *   after SWAPGS) and build a struct trap_frame as an exception would.
 * - syscall_trampoline_fault (kvm_pvm with the kernel emulated, where SYSCALL
 *   stays at user privilege and faults on the trampoline: arch/user_entry.h):
 *   isr_common saw the fault; the CPU's frame becomes the syscall's as
 *   user_entry_fault would make it.
 *
 * Then the fast path (SYSCALL_FAST_PATH; docs/architecture.md): the handler's
 * struct syscall_call right below the frame, built with pushes, the handler
 * called through syscall_table, and one flag, the thread's return_work (with
 * the result, for a restart). When nothing waits, the frame is as the entry
 * built it and the handler kept the callee-saved registers: only the
 * registers C may clobber come back from the frame. Everything else
 * (--strace, signals, restarts, a handler that replaced the frame) goes
 * through C (syscall_dispatch, syscall_return_work) and the checked exit.
 */
#include "arch/percpu.h"
#include "arch/segments.h"
#include "arch/trap_frame.h"
#include "arch/upper/entry_abi.h"
#include "sys/syscall.h"

/*
 * With the syscall's trap frame at RSP and its number in RAX: the handler,
 * falling through when the frame can leave as it is (RSP at the frame); to
 * `work` with struct syscall_call at RSP when the way out has work, to
 * `dispatch` with the frame at RSP for syscall_dispatch.
 */
.macro SYSCALL_FAST_PATH work, dispatch
    cmpb $0, strace_on(%rip)
    jne \dispatch
    cmpq $SYSCALL_TABLE_SIZE, %rax
    jae \dispatch
    movq syscall_table(, %rax, 8), %r11
    /* struct syscall_call, last field first */
    movq %rsp, %rcx
    pushq %gs:PERCPU_CURRENT_PROC   /* proc */
    pushq %gs:PERCPU_CURRENT        /* thread */
    pushq %rcx                      /* frame */
    pushq %r9
    pushq %r8
    pushq %r10
    pushq %rdx
    pushq %rsi
    pushq %rdi                      /* arg[0] */
    pushq %rax                      /* nr */
    movq %rsp, %rdi
    call *%r11
    movq %rax, SYSCALL_CALL_SIZE + TRAP_FRAME_RAX(%rsp)
    /* The one flag: signals, alarm, group exit, a sigmask to restore. */
    movq SYSCALL_CALL_THREAD(%rsp), %rcx
    cmpb $0, SYSCALL_THREAD_RETURN_WORK(%rcx)
    jne \work
    cmpq $-1, (%rsp)                /* c.nr: SYSCALL_NR_NONE, a new frame */
    je \work
    leaq SYSCALL_RESTART_LOWEST(%rax), %rcx
    cmpq $SYSCALL_RESTART_SPAN, %rcx
    jbe \work
    addq $SYSCALL_CALL_SIZE, %rsp
.endm

/* Back from the frame at RSP the registers C may clobber (RBX, RBP and
 * R12-R15 still hold the user's: callee-saved). */
.macro RELOAD_CLOBBERED_REGISTERS
    movq TRAP_FRAME_RAX(%rsp), %rax
    movq TRAP_FRAME_RDI(%rsp), %rdi
    movq TRAP_FRAME_RSI(%rsp), %rsi
    movq TRAP_FRAME_RDX(%rsp), %rdx
    movq TRAP_FRAME_R10(%rsp), %r10
    movq TRAP_FRAME_R8(%rsp), %r8
    movq TRAP_FRAME_R9(%rsp), %r9
.endm

    .text
    .code64
    .global syscall_entry
syscall_entry:
    swapgs
    movq %rsp, %gs:PERCPU_USER_RSP
    movq %gs:PERCPU_KERNEL_RSP, %rsp
    SYSCALL_FRAME %gs:PERCPU_USER_RSP
    SYSCALL_FAST_PATH .Lsysret_work, .Lsysret_dispatch
    /* The frame is the entry's own: RIP = RCX, the address after the user's
     * SYSCALL, canonical (SYSCALL_SYSRET_RIP_END). TF wants IRETQ. */
    movq TRAP_FRAME_RIP(%rsp), %rcx
    movq TRAP_FRAME_RFLAGS(%rsp), %r11
    testq $0x100, %r11
    jnz trap_return
    RELOAD_CLOBBERED_REGISTERS
    movq TRAP_FRAME_RSP(%rsp), %rsp
    swapgs
    sysretq

.Lsysret_work:
    movq %rsp, %rdi
    call syscall_return_work
    addq $SYSCALL_CALL_SIZE, %rsp
    jmp .Lchecked_sysret
.Lsysret_dispatch:
    movq %rsp, %rdi
    call syscall_dispatch
.Lchecked_sysret:
    JUMP_UNLESS_SYSRET_EXACT trap_return, SYSCALL_SYSRET_RIP_END
    POP_FOR_SYSRET
    swapgs
    sysretq

/* From isr_common (arch/upper/trap_entry.S), after SWAPGS: a user-mode fetch
 * fault at the trampoline; vector and error code on the stack above the
 * CPU's frame, RCX/R11 as SYSCALL left them. Leaves with IRETQ, as every
 * return from an exception (the frame's CS and SS are the CPU's). */
    .global syscall_trampoline_fault
syscall_trampoline_fault:
    PUSH_GENERAL_REGISTERS
    /* An RCX outside the user half is no place to return to: C ends the
     * program (user_entry_fault). The frame's RIP is the trampoline's
     * address, the end of the user half. */
    cmpq TRAP_FRAME_RIP(%rsp), %rcx
    jae .Ltrampoline_bad
    movq %rcx, TRAP_FRAME_RIP(%rsp)
    andq $ENTRY_USER_RFLAGS_MASK, %r11  /* still the user's R11 */
    orq $ENTRY_USER_RFLAGS_SET, %r11
    movq %r11, TRAP_FRAME_RFLAGS(%rsp)
    movq %r11, TRAP_FRAME_R11(%rsp)
    movq $TRAP_VECTOR_SYSCALL, TRAP_FRAME_VECTOR(%rsp)
    movq $0, TRAP_FRAME_ERROR(%rsp)
    SYSCALL_FAST_PATH .Liret_work, .Liret_dispatch
    RELOAD_CLOBBERED_REGISTERS
    movq TRAP_FRAME_RCX(%rsp), %rcx
    movq TRAP_FRAME_R11(%rsp), %r11
    addq $TRAP_FRAME_RIP, %rsp
    swapgs
    iretq

.Liret_work:
    movq %rsp, %rdi
    call syscall_return_work
    addq $SYSCALL_CALL_SIZE, %rsp
    jmp trap_return
.Liret_dispatch:
    movq %rsp, %rdi
    call syscall_dispatch
    jmp trap_return
.Ltrampoline_bad:
    movq %rsp, %rdi
    call trap_dispatch
    jmp trap_return

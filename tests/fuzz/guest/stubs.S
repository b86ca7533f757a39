/*
 * The only ways fuzzed state can move the fuzzer's instruction pointer, each
 * made safe: with no preemption in the guest kernel, user code that jumped
 * somewhere random and spun would hang the whole VM.
 *
 * fuzz_call        a system call that records a resume point first.
 * fuzz_fork_call   clone/fork/vfork: the child returns into C only when asked
 *                  (same stack, no new TLS); otherwise it exits or execs here,
 *                  without touching its (possibly fuzzed) stack.
 * fuzz_sigreturn   rt_sigreturn with a crafted frame (RSP = frame + 8).
 * fuzz_landing_resume  where crafted frames and tampered handler frames send
 *                  RIP: restores a sane state and returns from the call that
 *                  recorded the resume point (only in the process that did).
 * fuzz_landing_exit    exits the process.
 * fuzz_restorer    a handler's SA_RESTORER.
 */
#define SYS_rt_sigreturn 15
#define SYS_getpid 39
#define SYS_execve 59
#define SYS_exit 60
#define SYS_arch_prctl 158
#define ARCH_SET_FS 0x1002
#define LANDING_EXIT_STATUS 94

    .text

/* Records callee-saved registers, the caller's RSP and return address. */
.macro SAVE_RESUME
    mov %rbx, fuzz_resume_regs+0(%rip)
    mov %rbp, fuzz_resume_regs+8(%rip)
    mov %r12, fuzz_resume_regs+16(%rip)
    mov %r13, fuzz_resume_regs+24(%rip)
    mov %r14, fuzz_resume_regs+32(%rip)
    mov %r15, fuzz_resume_regs+40(%rip)
    lea 8(%rsp), %r11
    mov %r11, fuzz_resume_regs+48(%rip)
    mov (%rsp), %r11
    mov %r11, fuzz_resume_regs+56(%rip)
    movl $1, fuzz_resume_valid(%rip)
.endm

/* long fuzz_call(long nr, long a0, long a1, long a2, long a3, long a4, long a5) */
    .globl fuzz_call
    .type fuzz_call, @function
fuzz_call:
    SAVE_RESUME
    mov %rdi, %rax
    mov %rsi, %rdi
    mov %rdx, %rsi
    mov %rcx, %rdx
    mov %r8, %r10
    mov %r9, %r8
    mov 8(%rsp), %r9
    syscall
    movl $0, fuzz_resume_valid(%rip)
    ret
    .size fuzz_call, . - fuzz_call

/* long fuzz_fork_call(long nr, long a0, long a1, long a2, long a3, long a4,
 *                     long child_mode)
 * child_mode: 0 exit at once, 1 return 0 into C, 2 execve(fuzz_fork_exec[0..2]). */
    .globl fuzz_fork_call
    .type fuzz_fork_call, @function
fuzz_fork_call:
    SAVE_RESUME
    push %rbx
    mov 16(%rsp), %rbx
    mov %rdi, %rax
    mov %rsi, %rdi
    mov %rdx, %rsi
    mov %rcx, %rdx
    mov %r8, %r10
    mov %r9, %r8
    syscall
    test %rax, %rax
    jnz 1f
    cmp $1, %rbx /* the child: RBX survives the fork, its stack may not exist */
    je 1f
    cmp $2, %rbx
    jne fuzz_landing_exit
    mov $SYS_execve, %eax
    mov fuzz_fork_exec+0(%rip), %rdi
    mov fuzz_fork_exec+8(%rip), %rsi
    mov fuzz_fork_exec+16(%rip), %rdx
    syscall
    jmp fuzz_landing_exit
1:  pop %rbx
    movl $0, fuzz_resume_valid(%rip)
    ret
    .size fuzz_fork_call, . - fuzz_fork_call

/* void fuzz_sigreturn(uint64_t frame): returns only through fuzz_landing_resume. */
    .globl fuzz_sigreturn
    .type fuzz_sigreturn, @function
fuzz_sigreturn:
    SAVE_RESUME
    lea 8(%rdi), %rsp
    mov $SYS_rt_sigreturn, %eax
    syscall
    jmp fuzz_landing_resume
    .size fuzz_sigreturn, . - fuzz_sigreturn

/* Arrives with any registers, flags and stack. */
    .globl fuzz_landing_resume
    .type fuzz_landing_resume, @function
fuzz_landing_resume:
    cld
    cmpl $0, fuzz_resume_valid(%rip)
    je fuzz_landing_exit
    mov $SYS_getpid, %eax /* a forked child holds a copy of the parent's point */
    syscall
    cmp fuzz_resume_pid(%rip), %eax
    jne fuzz_landing_exit
    mov fuzz_resume_regs+48(%rip), %rsp
    pushq $0x202 /* TF, DF, AC, NT off */
    popfq
    mov $SYS_arch_prctl, %eax /* the FS base (TLS) may have been fuzzed */
    mov $ARCH_SET_FS, %edi
    mov fuzz_resume_fs(%rip), %rsi
    syscall
    fninit
    ldmxcsr fuzz_default_mxcsr(%rip)
    mov fuzz_resume_regs+0(%rip), %rbx
    mov fuzz_resume_regs+8(%rip), %rbp
    mov fuzz_resume_regs+16(%rip), %r12
    mov fuzz_resume_regs+24(%rip), %r13
    mov fuzz_resume_regs+32(%rip), %r14
    mov fuzz_resume_regs+40(%rip), %r15
    movl $0, fuzz_resume_valid(%rip)
    incl fuzz_resumed(%rip)
    xor %eax, %eax
    jmp *fuzz_resume_regs+56(%rip)
    .size fuzz_landing_resume, . - fuzz_landing_resume

    .globl fuzz_landing_exit
    .type fuzz_landing_exit, @function
fuzz_landing_exit:
    mov $SYS_exit, %eax
    mov $LANDING_EXIT_STATUS, %edi
    syscall
    ud2
    .size fuzz_landing_exit, . - fuzz_landing_exit

    .globl fuzz_restorer
    .type fuzz_restorer, @function
fuzz_restorer:
    mov $SYS_rt_sigreturn, %eax
    syscall
    jmp fuzz_landing_exit
    .size fuzz_restorer, . - fuzz_restorer

    .section .rodata
    .balign 4
fuzz_default_mxcsr:
    .long 0x1f80

    .bss
    .balign 64
    .globl fuzz_resume_regs, fuzz_resume_fs, fuzz_resume_pid, fuzz_resume_valid
    .globl fuzz_resumed, fuzz_fork_exec
fuzz_resume_regs:
    .zero 64
fuzz_resume_fs:
    .zero 8
fuzz_fork_exec:
    .zero 24
fuzz_resume_pid:
    .zero 4
fuzz_resume_valid:
    .zero 4
fuzz_resumed:
    .zero 4

    .section .note.GNU-stack, "", @progbits

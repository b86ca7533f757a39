/*
 * Switching kernel stacks between threads (kernel/sched.c). Only the
 * callee-saved registers need saving: the switch is an ordinary C call.
 */
    .text
    .code64

/* void context_switch(uint64_t *save_sp, uint64_t next_sp) */
    .global context_switch
context_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

/* Where a new thread's first switch "returns" to: its kernel stack holds
 * just the trap frame to enter user mode with, right above this address.
 * On the way out it does what every other way to user mode does (signals,
 * the end of its process: sched_first_return). */
    .global context_first_return
context_first_return:
    movq %rsp, %rdi
    call sched_first_return
    jmp trap_return

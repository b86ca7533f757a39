/*
 * Hypercall ABI of the timer device (kind "timer"): the tick that lets the
 * guest kernel preempt a task that never makes a system call. One port;
 * `outl` the GPA of a struct timer_args.
 *
 * The guest names, once, a 32-bit "tick wanted" word in its RAM and an
 * interrupt vector. On every core tick (MINIVM_TICK_MS) the device reads the
 * word; when it is nonzero, it raises the vector on the vCPU (delivered when
 * the guest has interrupts enabled: in user mode). The guest sets the word
 * only while something needs a tick (another task is runnable, a deadline or
 * an alarm is pending), so a VM whose one task runs alone, or that is idle,
 * takes no interrupts at all. No exit is needed to change the word.
 *
 * A raised vector stays pending until the guest can take it (the core injects
 * it with KVM_INTERRUPT when RFLAGS.IF is set), and raising it again before
 * then changes nothing; so one may arrive just after the guest cleared the
 * word: the handler must accept a tick nobody wants.
 *
 * TIMER_OP_SETUP with a bad field (pad not 0, vector outside
 * TIMER_VECTOR_MIN..255, request_gpa misaligned or not wholly in RAM) and an
 * unknown op are answered with -EINVAL and change nothing. A second good
 * SETUP replaces the first.
 */
#ifndef MINIVM_TIMER_ABI_H
#define MINIVM_TIMER_ABI_H

#include <minivm/hypercall.h>

#define TIMER_KIND "timer"

enum timer_op {
    TIMER_OP_SETUP = 1, /* request_gpa, vector; result: the tick period in µs */
};

/* Lowest vector the device raises: 0..31 are the CPU's exceptions. */
#define TIMER_VECTOR_MIN 32u

struct timer_args {
    struct minivm_hc_header hdr;
    uint64_t request_gpa; /* a uint32_t, 4-byte aligned, wholly in guest RAM */
    uint32_t vector;      /* TIMER_VECTOR_MIN..255 */
    uint32_t pad;         /* 0 */
};

#endif

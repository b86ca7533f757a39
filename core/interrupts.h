/*
 * Interrupts raised by plugins (host API raise_interrupt) and their injection
 * into the vCPU from user space with KVM_INTERRUPT (no in-kernel irqchip: with
 * one, a `cli; hlt` would no longer exit to the VMM).
 *
 * The pending set is a plain bitmap of vectors 32..255 (0..31 are the CPU's
 * exceptions); raising a pending vector again changes nothing, like an edge
 * that arrives before the first was taken. Before each KVM_RUN the run loop
 * injects the highest pending vector when the guest can take it now, else asks
 * KVM to exit as soon as it can (request_interrupt_window).
 *
 * interrupts_raise / _highest / _clear / _decide are pure (unit-tested);
 * interrupts_before_run applies the decision to a struct kvm_run.
 */
#ifndef MINIVM_CORE_INTERRUPTS_H
#define MINIVM_CORE_INTERRUPTS_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define INTERRUPT_VECTOR_MIN 32u
#define INTERRUPT_VECTOR_MAX 255u

/* Vectors raised and not yet injected; all zero is "none". */
struct pending_interrupts {
    uint64_t bits[4];
};

/* Marks `vector` pending. 0, or -1 when it lies outside 32..255. */
int interrupts_raise(struct pending_interrupts *p, uint32_t vector);
/* The highest pending vector, or -1 when none is. */
int interrupts_highest(const struct pending_interrupts *p);
/* Forgets `vector` (nothing happens for a vector outside 0..255). */
void interrupts_clear(struct pending_interrupts *p, uint32_t vector);

/*
 * What to do before the next KVM_RUN, given what KVM reported at the last exit
 * (`ready`: run->ready_for_interrupt_injection, `if_flag`: run->if_flag).
 * Returns the vector to inject now (already cleared from the set), or -1 for
 * none; *request_window says whether KVM should exit once the guest can take
 * an interrupt (something is still pending after this injection).
 */
int interrupts_decide(struct pending_interrupts *p, bool ready, bool if_flag,
                      bool *request_window);

struct kvm_run;

/*
 * interrupts_decide applied to the vCPU: KVM_INTERRUPT for the vector chosen,
 * and run->request_interrupt_window set or cleared. 0, or -1 when the ioctl
 * failed (errno set; the vector is lost, the caller ends the VM).
 */
int interrupts_before_run(struct pending_interrupts *p, int vcpu_fd, struct kvm_run *run);

#ifdef __cplusplus
}
#endif

#endif

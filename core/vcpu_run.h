/*
 * The run loop: KVM_RUN until the guest asks to exit, and dispatch of every VM
 * exit. IO exits go to the port table, MMIO exits to the MMIO table; accesses
 * nobody registered, string I/O and bad sizes fail closed. HLT, SHUTDOWN,
 * FAIL_ENTRY and INTERNAL_ERROR end the run with a message and a register dump.
 * Before each KVM_RUN, interrupts plugins raised are injected (core/interrupts.h);
 * IRQ_WINDOW_OPEN just loops to do so.
 */
#ifndef MINIVM_CORE_VCPU_RUN_H
#define MINIVM_CORE_VCPU_RUN_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vmm;

/* Starts the run-time limit (0: none; SIGALRM) and the plugins' ticks
 * (register_tick; a POSIX timer on SIGRTMIN). Call before the sandbox is
 * installed: it needs sigaction and the timer calls. 0, or -1 with a message. */
int vcpu_arm_timer(struct vmm *vmm, uint64_t timeout_ms);
/* Whether vcpu_arm_timer started a timer (its signal needs rt_sigreturn). */
bool vcpu_timer_armed(void);

/* Runs the vCPU; returns minivm's exit status. */
int vcpu_run(struct vmm *vmm);

/* Dispatches one port access / MMIO access (exposed for unit tests).
 * Return 0, or -1 after logging why the access was refused. */
int dispatch_port_access(struct vmm *vmm, uint16_t port, int is_write, uint8_t size,
                         uint32_t count, uint8_t *data);
int dispatch_mmio_access(struct vmm *vmm, uint64_t gpa, int is_write, uint32_t len,
                         uint8_t *data);

#ifdef __cplusplus
}
#endif

#endif

/*
 * What this host's KVM really does with KVM_SET_GUEST_DEBUG. The ioctl is
 * accepted everywhere it exists, but not every host honours every part: a
 * nested KVM under QEMU's TCG single-steps, yet ignores DR7 and never
 * reports an int3 (the guest takes it). The stub adapts: without int3
 * reports it emulates breakpoints by single-stepping (slow, but correct),
 * without debug registers it tells gdb it has no hardware points.
 */
#ifndef MINIVM_CORE_GDB_DEBUG_PROBE_H
#define MINIVM_CORE_GDB_DEBUG_PROBE_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

struct debug_capabilities {
    bool single_step;          /* KVM_GUESTDBG_SINGLESTEP exits after one instruction */
    bool software_breakpoints; /* KVM_GUESTDBG_USE_SW_BP reports an int3 */
    bool hardware_points;      /* KVM_GUESTDBG_USE_HW_BP: a DR0 write watchpoint fires */
};

/*
 * Runs three tiny real-mode guests in a scratch VM of its own (at start-up,
 * before the sandbox). When the scratch VM cannot run at all (a host that
 * only runs 64-bit guests), nothing can be learnt and every capability is
 * assumed present.
 */
void debug_probe(int kvm_fd, struct debug_capabilities *caps);

#ifdef __cplusplus
}
#endif

#endif

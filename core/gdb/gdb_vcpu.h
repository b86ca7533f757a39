/*
 * The vCPU as gdb sees it: KVM_GET/SET_REGS, _SREGS and _FPU turned into the
 * registers of the target description, and KVM_SET_GUEST_DEBUG. Only what a
 * user program could change itself is written back (general registers, rip,
 * the arithmetic flags, fs_base/gs_base, x87/SSE); segment selectors and
 * system flags written by gdb are ignored, so a debugger cannot move the
 * guest kernel's own state.
 */
#ifndef MINIVM_CORE_GDB_GDB_VCPU_H
#define MINIVM_CORE_GDB_GDB_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "core/gdb/debug_points.h"
#include "core/gdb/x86_registers.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Whether this KVM has KVM_CAP_SET_GUEST_DEBUG. */
bool gdb_vcpu_debug_supported(int kvm_fd);

int gdb_vcpu_get(int vcpu_fd, struct x86_registers *regs);
int gdb_vcpu_set(int vcpu_fd, const struct x86_registers *regs);

/* The task register's base: the guest kernel's TSS (virtual address). */
int gdb_vcpu_tss_base(int vcpu_fd, uint64_t *base);

/* rip, rflags and cr3 only (the stop decisions need nothing else). */
int gdb_vcpu_position(int vcpu_fd, uint64_t *rip, uint64_t *rflags, uint64_t *cr3);
int gdb_vcpu_set_rip_rflags(int vcpu_fd, uint64_t rip, uint64_t rflags);

/* Applies the debug points and single-stepping (KVM_SET_GUEST_DEBUG). */
int gdb_vcpu_set_debug(int vcpu_fd, const struct debug_points *dp, bool sw_breakpoints,
                       bool single_step);

/* Delivers a #BP the program raised itself (an int3 that is not the stub's)
 * to the guest, as the CPU would have without the debugger. */
int gdb_vcpu_inject_breakpoint(int vcpu_fd);

#ifdef __cplusplus
}
#endif

#endif

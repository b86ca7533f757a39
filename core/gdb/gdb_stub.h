/*
 * --gdb [HOST:]PORT: a GDB remote-protocol stub inside minivm (VMM-side
 * debugging; not a guest device). How it hooks in:
 *
 *   start-up   gdb_stub_open listens (before the sandbox) and registers the
 *              "gdb" event port (minivm/gdb_events.h) so the guest kernel,
 *              told by MINIVM_BOOT_FLAG_GDB, reports process start and exit;
 *   run loop   vcpu_run hands every KVM_EXIT_DEBUG to gdb_stub_debug_exit and
 *              asks gdb_stub_holds_interrupts before injecting an interrupt
 *              (none while the followed program is single-stepped);
 *   events     the start of the first program arms a hardware breakpoint at
 *              its first instruction; when it hits, the VM stops and waits for
 *              gdb to connect; exit and death become `W`/`X` stop replies.
 *
 * While the guest is stopped the stub blocks on the socket: minivm has one
 * vCPU, and nothing in the guest may run until gdb resumes it.
 */
#ifndef MINIVM_CORE_GDB_GDB_STUB_H
#define MINIVM_CORE_GDB_GDB_STUB_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vmm;
struct kvm_run;
struct gdb_stub;

/* The port of the "gdb" event device (beside the plugins' 0x500.. ports). */
#define GDB_EVENTS_PORT 0x5e0u

/* Checks that this KVM can debug a guest, listens on `spec` and registers the
 * event port (`pvm_layout`: the guest uses the PVM layout of boot_info.h).
 * 0, or -1 with a one-line message (exit status 125). */
int gdb_stub_open(struct vmm *vmm, const char *spec, bool pvm_layout);

/* The system calls the stub needs once the sandbox is in place, added to the
 * filter only with --gdb: accept4 on the listening socket, dup3 onto the
 * reserved descriptor, read/write on it, and the vCPU ioctls in
 * gdb_stub_vcpu_ioctls. */
int gdb_stub_seccomp_grants(struct gdb_stub *stub);
extern const unsigned long gdb_stub_vcpu_ioctls[];
extern const unsigned gdb_stub_vcpu_ioctl_count;

/* True while the followed program is being single-stepped. */
bool gdb_stub_holds_interrupts(const struct gdb_stub *stub);

/* A KVM_EXIT_DEBUG: 0 to go on running, or minivm's exit status. */
int gdb_stub_debug_exit(struct gdb_stub *stub, struct kvm_run *run);

/* The run ended with `status` before the program's exit was reported (a
 * timeout, a guest kernel failure): gdb hears `X09`/`W..` and is let go. */
void gdb_stub_run_ended(struct gdb_stub *stub, int status);

#ifdef __cplusplus
}
#endif

#endif

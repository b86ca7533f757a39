#include "core/gdb/gdb_stub.h"

#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "core/gdb/gdb_vcpu.h"
#include "core/gdb/stub_state.h"
#include "core/log.h"
#include "minivm/gdb_events.h"

const unsigned long gdb_stub_vcpu_ioctls[] = {
    KVM_SET_GUEST_DEBUG, KVM_SET_REGS,        KVM_SET_SREGS,       KVM_GET_FPU,
    KVM_SET_FPU,         KVM_GET_VCPU_EVENTS, KVM_SET_VCPU_EVENTS,
};
const unsigned gdb_stub_vcpu_ioctl_count =
    sizeof gdb_stub_vcpu_ioctls / sizeof gdb_stub_vcpu_ioctls[0];


/* ---- set-up ---- */

int gdb_stub_open(struct vmm *vmm, const char *spec, bool pvm_layout)
{
    if (!gdb_vcpu_debug_supported(vmm->kvm.kvm_fd)) {
        log_error("--gdb: this KVM cannot debug a guest (no KVM_CAP_SET_GUEST_DEBUG); the gdb "
                  "stub cannot work here");
        return -1;
    }

    struct gdb_stub *st = calloc(1, sizeof *st);
    if (!st) {
        log_error("out of memory");
        return -1;
    }
    st->vmm = vmm;
    st->pvm = pvm_layout;
    st->user_end = st->pvm ? MINIVM_PVM_USER_END : UPPER_USER_END;
    /* kvm_pvm accepts KVM_SET_GUEST_DEBUG, but for a PVM guest's user code
     * it reports no int3 (the guest kernel gets it), fires no debug
     * register, and single-step traps come only where the guest leaves user
     * mode, not after each instruction (measured on the host of 2026-12-07):
     * there the guest kernel reports its #BP/#DB and the stub stops inside
     * those reports. */
    st->guest_reported = vmm->kvm.pvm != 0;
    if (st->guest_reported)
        st->caps = (struct debug_capabilities){.single_step = true, .software_breakpoints = true};
    else
        debug_probe(vmm->kvm.kvm_fd, &st->caps);
    log_trace("gdb: this KVM single-steps: %s, reports int3: %s, honours debug registers: %s",
              st->caps.single_step ? "yes" : "no", st->caps.software_breakpoints ? "yes" : "no",
              st->caps.hardware_points ? "yes" : "no");
    if (!st->caps.single_step) {
        log_error("--gdb: this KVM does not single-step a guest; the gdb stub cannot work here");
        free(st);
        return -1;
    }
    rsp_decoder_init(&st->decoder);
    gdb_session_init(&st->session, &stub_target_ops, st, 1);
    if (gdb_connection_listen(&st->conn, spec) != 0) {
        free(st);
        return -1;
    }
    struct range_entry entry;
    memset(&entry, 0, sizeof entry);
    entry.start = GDB_EVENTS_PORT;
    entry.size = 1;
    entry.owner = "gdb stub";
    strcpy(entry.kind, GDB_EVENTS_KIND);
    entry.handler.port = stub_on_event_port;
    entry.opaque = st;
    if (range_table_register(&vmm->ports, &entry) != 0) {
        free(st);
        return -1;
    }
    vmm->gdb = st;
    return 0;
}

static int add_grant(struct vmm *vmm, int nr, int arg_index, uint64_t value)
{
    if (vmm->seccomp_grant_count >= sizeof vmm->seccomp_grants / sizeof vmm->seccomp_grants[0]) {
        log_error("gdb: too many seccomp grants");
        return -1;
    }
    vmm->seccomp_grants[vmm->seccomp_grant_count++] =
        (struct seccomp_grant){.syscall_nr = nr, .arg_index = arg_index, .value = value};
    return 0;
}

int gdb_stub_seccomp_grants(struct gdb_stub *st)
{
    struct vmm *vmm = st->vmm;
    uint64_t fd = (uint64_t)st->conn.reserved_fd;
    return add_grant(vmm, SYS_accept4, 0, (uint64_t)st->conn.listen_fd) ||
           add_grant(vmm, SYS_dup3, 1, fd) || add_grant(vmm, SYS_read, 0, fd) ||
           add_grant(vmm, SYS_write, 0, fd);
}

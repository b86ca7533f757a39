#include "core/sandbox.h"

#include <errno.h>
#include <limits.h>
#include <linux/kvm.h>
#include <malloc.h>
#include <seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "core/gdb/gdb_stub.h"
#include "core/log.h"
#include "core/vcpu_run.h"
#include "core/vmm.h"

static int allowed_count;

/* What the core itself does after set-up: the run loop and the exit path
 * (plugin fini may close and free, then exit_group). rt_sigreturn only when a
 * timer is armed: the timeout's SIGALRM and the plugin tick's SIGRTMIN are the
 * only signals minivm handles. */
static const int core_plain_syscalls[] = {
    SYS_exit_group, SYS_close, SYS_munmap,
};

/* KVM_INTERRUPT: the run loop injects the interrupts plugins raise. */
static const unsigned long vcpu_ioctls[] = {
    KVM_RUN, KVM_INTERRUPT, KVM_GET_REGS, KVM_GET_SREGS,
};

static int add_rule(scmp_filter_ctx filter, int nr, unsigned count, const struct scmp_arg_cmp *args,
                    int *seen, int seen_size)
{
    int rc = seccomp_rule_add_array(filter, SCMP_ACT_ALLOW, nr, count, args);
    if (rc < 0 && rc != -EEXIST) {
        log_error("seccomp: cannot allow system call %d: %s", nr, strerror(-rc));
        return -1;
    }
    if (nr >= 0 && nr < seen_size && !seen[nr]) {
        seen[nr] = 1;
        allowed_count++;
    }
    return 0;
}

int sandbox_enter(const struct vmm *vmm)
{
    int seen[1024] = {0};
    allowed_count = 0;
    /* free() must never need brk or madvise once the filter is in place. */
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        log_error("cannot set NO_NEW_PRIVS: %s", strerror(errno));
        return -1;
    }
    scmp_filter_ctx filter = seccomp_init(SCMP_ACT_KILL_PROCESS);
    if (!filter) {
        log_error("seccomp: cannot create a filter");
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < sizeof core_plain_syscalls / sizeof core_plain_syscalls[0] && !rc; i++)
        rc = add_rule(filter, core_plain_syscalls[i], 0, NULL, seen, 1024);
    if (!rc && vcpu_timer_armed())
        rc = add_rule(filter, SYS_rt_sigreturn, 0, NULL, seen, 1024);
    /* ioctl only on the vCPU, only the requests the run loop makes. */
    for (size_t i = 0; i < sizeof vcpu_ioctls / sizeof vcpu_ioctls[0] && !rc; i++) {
        struct scmp_arg_cmp args[2] = {
            SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)vmm->kvm.vcpu_fd),
            SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)vcpu_ioctls[i]),
        };
        rc = add_rule(filter, SYS_ioctl, 2, args, seen, 1024);
    }
    /* --gdb only: the stub reads and writes registers, sets debug registers
     * and re-injects the program's own int3 (core/gdb/gdb_vcpu.c). */
    for (unsigned i = 0; vmm->gdb && i < gdb_stub_vcpu_ioctl_count && !rc; i++) {
        struct scmp_arg_cmp args[2] = {
            SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)vmm->kvm.vcpu_fd),
            SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)gdb_stub_vcpu_ioctls[i]),
        };
        rc = add_rule(filter, SYS_ioctl, 2, args, seen, 1024);
    }
    /* --trace reads the vCPU statistics once the guest has stopped. */
    if (!rc && vmm->stats.fd >= 0) {
        struct scmp_arg_cmp arg = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)vmm->stats.fd);
        rc = add_rule(filter, SYS_pread64, 1, &arg, seen, 1024);
    }
    /* write only to stdout and stderr (messages, console output). */
    for (int fd = 1; fd <= 2 && !rc; fd++) {
        struct scmp_arg_cmp arg = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fd);
        rc = add_rule(filter, SYS_write, 1, &arg, seen, 1024);
    }
    for (size_t i = 0; i < vmm->seccomp_grant_count && !rc; i++) {
        const struct seccomp_grant *grant = &vmm->seccomp_grants[i];
        struct scmp_arg_cmp arg = {
            .arg = (unsigned)grant->arg_index, .op = SCMP_CMP_EQ, .datum_a = grant->value};
        rc = add_rule(filter, grant->syscall_nr, grant->arg_index < 0 ? 0 : 1, &arg, seen, 1024);
    }
    if (!rc) {
        int load = seccomp_load(filter);
        if (load < 0) {
            log_error("seccomp: cannot install the filter: %s", strerror(-load));
            rc = -1;
        }
    }
    seccomp_release(filter);
    return rc;
}

int sandbox_allowed_count(void) { return allowed_count; }

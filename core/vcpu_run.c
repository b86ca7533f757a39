#include "core/vcpu_run.h"

#include <errno.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>

#include "core/exit_status.h"
#include "core/gdb/gdb_stub.h"
#include "core/interrupts.h"
#include "core/log.h"
#include "core/vmm.h"

/* The timers' signal handlers reach the running vCPU only through these. */
static struct kvm_run *volatile timed_run;
/* The running VMM's vmm->timed_out, for the SIGALRM handler. */
static volatile sig_atomic_t *timed_out;
static volatile sig_atomic_t tick_due;
static uint64_t armed_timeout_ms;
static bool timer_armed;

/* Makes a KVM_RUN that has not yet entered the guest return EINTR at once;
 * one that is inside the guest is kicked out by the signal itself. */
static void kick_vcpu(void)
{
    if (timed_run)
        timed_run->immediate_exit = 1;
}

static void on_timeout(int signo)
{
    (void)signo;
    *timed_out = 1;
    kick_vcpu();
}

static void on_tick(int signo)
{
    (void)signo;
    tick_due = 1;
    kick_vcpu();
}

static int install_handler(int signo, void (*handler)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler; /* no SA_RESTART: KVM_RUN must return EINTR */
    sigemptyset(&sa.sa_mask);
    if (sigaction(signo, &sa, NULL) < 0) {
        log_error("cannot install a timer handler: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* The run-time limit: SIGALRM once at the timeout, then every 10 ms in case
 * one lands while minivm is handling an exit. */
static int arm_timeout(uint64_t timeout_ms)
{
    if (install_handler(SIGALRM, on_timeout) != 0)
        return -1;
    struct itimerval timer = {
        .it_value = {.tv_sec = (time_t)(timeout_ms / 1000),
                     .tv_usec = (suseconds_t)((timeout_ms % 1000) * 1000)},
        .it_interval = {.tv_sec = 0, .tv_usec = 10000},
    };
    if (setitimer(ITIMER_REAL, &timer, NULL) < 0) {
        log_error("cannot start the timeout timer: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* The plugins' ticks: a POSIX timer of its own with its own signal, so the
 * handler needs no clock (one system call fewer in the sandbox). */
static int arm_ticks(void)
{
    int signo = SIGRTMIN;
    if (install_handler(signo, on_tick) != 0)
        return -1;
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = signo;
    timer_t timer;
    struct itimerspec period = {
        .it_value = {.tv_sec = 0, .tv_nsec = MINIVM_TICK_MS * 1000000L},
        .it_interval = {.tv_sec = 0, .tv_nsec = MINIVM_TICK_MS * 1000000L},
    };
    if (timer_create(CLOCK_MONOTONIC, &ev, &timer) < 0 || timer_settime(timer, 0, &period, NULL) < 0) {
        log_error("cannot start the tick timer: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int vcpu_arm_timer(struct vmm *vmm, uint64_t timeout_ms)
{
    timed_out = &vmm->timed_out;
    *timed_out = tick_due = 0;
    armed_timeout_ms = timeout_ms;
    timed_run = vmm->kvm.run;
    if (timeout_ms > 0 && arm_timeout(timeout_ms) != 0)
        return -1;
    if (vmm->tick_count > 0 && arm_ticks() != 0)
        return -1;
    timer_armed = timeout_ms > 0 || vmm->tick_count > 0;
    return 0;
}

bool vcpu_timer_armed(void)
{
    return timer_armed;
}

/* The plugins' periodic work, between two runs of the guest. */
static void run_ticks(struct vmm *vmm)
{
    tick_due = 0;
    for (size_t i = 0; i < vmm->tick_count; i++)
        vmm->ticks[i].fn(vmm->ticks[i].opaque);
}

static void dump_registers(struct vmm *vmm)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    if (ioctl(vmm->kvm.vcpu_fd, KVM_GET_REGS, &r) < 0 ||
        ioctl(vmm->kvm.vcpu_fd, KVM_GET_SREGS, &s) < 0) {
        log_error("(registers unavailable: %s)", strerror(errno));
        return;
    }
    log_error("  rip %016llx  rsp %016llx  rflags %08llx  cs %04x (cpl %u)",
              r.rip, r.rsp, r.rflags, s.cs.selector, s.cs.dpl);
    log_error("  rax %016llx  rbx %016llx  rcx %016llx  rdx %016llx", r.rax, r.rbx, r.rcx, r.rdx);
    log_error("  rsi %016llx  rdi %016llx  rbp %016llx  r8  %016llx", r.rsi, r.rdi, r.rbp, r.r8);
    log_error("  r9  %016llx  r10 %016llx  r11 %016llx  r12 %016llx", r.r9, r.r10, r.r11, r.r12);
    log_error("  r13 %016llx  r14 %016llx  r15 %016llx", r.r13, r.r14, r.r15);
    log_error("  cr0 %016llx  cr2 %016llx  cr3 %016llx  cr4 %016llx  efer %llx", s.cr0, s.cr2,
              s.cr3, s.cr4, s.efer);
}

/* The one way the run loop gives up: message, registers, status 125. */
static int fail_with_dump(struct vmm *vmm, const char *what)
{
    log_error("%s", what);
    dump_registers(vmm);
    return EXIT_STATUS_VMM_FAILURE;
}

int dispatch_port_access(struct vmm *vmm, uint16_t port, int is_write, uint8_t size,
                         uint32_t count, uint8_t *data)
{
    const struct range_entry *entry = range_table_lookup(&vmm->ports, port, 1);
    if (!entry) {
        log_error("guest %s port 0x%x, which no plugin registered", is_write ? "wrote" : "read",
                  port);
        return -1;
    }
    if (count != 1 || (size != 1 && size != 2 && size != 4)) {
        log_error("guest used string or %u-byte I/O (count %u) on port 0x%x of plugin %s", size,
                  count, port, entry->owner);
        return -1;
    }
    uint32_t value = 0;
    if (is_write)
        memcpy(&value, data, size);
    if (entry->handler.port(entry->opaque, port, is_write, size, &value) != 0) {
        log_error("plugin %s refused a %u-byte %s at port 0x%x", entry->owner, size,
                  is_write ? "write" : "read", port);
        return -1;
    }
    if (!is_write)
        memcpy(data, &value, size);
    return 0;
}

int dispatch_mmio_access(struct vmm *vmm, uint64_t gpa, int is_write, uint32_t len, uint8_t *data)
{
    if (len != 1 && len != 2 && len != 4 && len != 8) {
        log_error("guest made a %u-byte MMIO access at 0x%llx", len, (unsigned long long)gpa);
        return -1;
    }
    const struct range_entry *entry = range_table_lookup(&vmm->mmio, gpa, len);
    if (!entry) {
        log_error("guest %s %u bytes at 0x%llx, which is neither RAM nor a registered MMIO window",
                  is_write ? "wrote" : "read", len, (unsigned long long)gpa);
        return -1;
    }
    uint64_t value = 0;
    if (is_write)
        memcpy(&value, data, len);
    if (entry->handler.mmio(entry->opaque, gpa - entry->start, is_write, (uint8_t)len, &value)) {
        log_error("plugin %s refused a %u-byte MMIO %s at 0x%llx", entry->owner, len,
                  is_write ? "write" : "read", (unsigned long long)gpa);
        return -1;
    }
    if (!is_write)
        memcpy(data, &value, len);
    return 0;
}

static int handle_exit(struct vmm *vmm, struct kvm_run *run)
{
    char what[160];
    switch (run->exit_reason) {
    case KVM_EXIT_IO:
        if (run->io.data_offset > vmm->kvm.run_size ||
            vmm->kvm.run_size - run->io.data_offset < 8)
            return fail_with_dump(vmm, "KVM reported an I/O exit with a bad data offset");
        if (dispatch_port_access(vmm, run->io.port, run->io.direction == KVM_EXIT_IO_OUT,
                                 run->io.size, run->io.count,
                                 (uint8_t *)run + run->io.data_offset))
            return fail_with_dump(vmm, "stopping the VM (port access refused)");
        return 0;
    case KVM_EXIT_MMIO:
        if (dispatch_mmio_access(vmm, run->mmio.phys_addr, run->mmio.is_write, run->mmio.len,
                                 run->mmio.data))
            return fail_with_dump(vmm, "stopping the VM (MMIO access refused)");
        return 0;
    case KVM_EXIT_IRQ_WINDOW_OPEN:
        /* The guest can take the pending interrupt now: the loop injects it. */
        return 0;
    case KVM_EXIT_DEBUG:
        if (vmm->gdb)
            return gdb_stub_debug_exit(vmm->gdb, run);
        return fail_with_dump(vmm, "unexpected debug exit (no --gdb)");
    case KVM_EXIT_HLT:
        return fail_with_dump(vmm, "guest kernel halted without reporting an exit status");
    case KVM_EXIT_SHUTDOWN:
        return fail_with_dump(vmm, "guest triple fault (KVM_EXIT_SHUTDOWN): the guest kernel "
                                   "crashed before it could report why");
    case KVM_EXIT_FAIL_ENTRY:
        snprintf(what, sizeof what, "KVM could not enter the guest (hardware reason 0x%llx)",
                 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
        return fail_with_dump(vmm, what);
    case KVM_EXIT_INTERNAL_ERROR:
        snprintf(what, sizeof what, "KVM internal error (suberror %u%s)", run->internal.suberror,
                 run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION ? ": emulation failure"
                                                                        : "");
        return fail_with_dump(vmm, what);
    default:
        snprintf(what, sizeof what, "unexpected KVM exit reason %u", run->exit_reason);
        return fail_with_dump(vmm, what);
    }
}

int vcpu_run(struct vmm *vmm)
{
    struct kvm_run *run = vmm->kvm.run;
    int status;
    for (;;) {
        if (vmm->timed_out) {
            log_error("timed out after %llu ms; the program was stopped",
                      (unsigned long long)armed_timeout_ms);
            status = EXIT_STATUS_TIMEOUT;
            break;
        }
        if (tick_due) {
            run_ticks(vmm);
            if (vmm->exit_requested) {
                status = vmm->exit_status;
                break;
            }
        }
        /* After the ticks: an interrupt a tick raised goes in on this run.
         * None while gdb single-steps the program: the step would land in
         * the guest kernel's interrupt handler instead of the next line. */
        if (vmm->gdb && gdb_stub_holds_interrupts(vmm->gdb)) {
            run->request_interrupt_window = 0;
        } else if (interrupts_before_run(&vmm->interrupts, vmm->kvm.vcpu_fd, run) != 0) {
            char what[96];
            snprintf(what, sizeof what, "KVM_INTERRUPT failed: %s", strerror(errno));
            status = fail_with_dump(vmm, what);
            break;
        }
        if (ioctl(vmm->kvm.vcpu_fd, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                run->immediate_exit = 0;
                continue;
            }
            char what[96];
            snprintf(what, sizeof what, "KVM_RUN failed: %s", strerror(errno));
            status = fail_with_dump(vmm, what);
            break;
        }
        status = handle_exit(vmm, run);
        if (status != 0)
            break;
        if (vmm->exit_requested) {
            status = vmm->exit_status;
            break;
        }
    }
    if (vmm->gdb)
        gdb_stub_run_ended(vmm->gdb, status);
    /* The timer stays armed: minivm exits right after the run, and a late
     * SIGALRM only sets a flag (no setitimer in the seccomp allow-list). */
    return status;
}

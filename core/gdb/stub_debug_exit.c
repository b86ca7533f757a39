#include "core/gdb/stub_state.h"

#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>

#include "core/exit_status.h"
#include "core/gdb/gdb_stub.h"
#include "core/gdb/gdb_vcpu.h"
#include "core/log.h"

static const char *watch_name(uint8_t gdb_type)
{
    return gdb_type == GDB_POINT_READ     ? "rwatch"
           : gdb_type == GDB_POINT_ACCESS ? "awatch"
                                          : "watch";
}

/* A debug register gdb set (Z1..Z4) fired. */
static int on_slot(struct gdb_stub *st, int i, uint64_t rip, uint64_t rflags, uint64_t cr3)
{
    const struct debug_slot *slot = &st->points.slot[i];
    bool ours = stub_followed_user(st, rip, cr3);
    if (slot->kind == DEBUG_SLOT_EXECUTE)
        return ours ? stub_stop(st, "hwbreak:;") : stub_run_past_breakpoint(st, rip, rflags);
    /* A data watchpoint traps after the access. Hits in another process, or
     * in the guest kernel (copying to the program's memory in a system
     * call), are not reported: gdb checks the value at its next stop. */
    if (!ours)
        return 0;
    char why[48];
    snprintf(why, sizeof why, "%s:%llx;", watch_name(slot->gdb_type),
             (unsigned long long)slot->addr);
    return stub_stop(st, why);
}

/* The stepped instruction was `syscall` (0f 05). */
static bool stepped_syscall(struct gdb_stub *st)
{
    uint8_t code[2];
    struct guest_address_space as = followed_space(st);
    return guest_virt_read(&as, st->step_from, code, 2) == 2 && code[0] == 0x0f && code[1] == 0x05;
}

static int stub_reached_entry(struct gdb_stub *st, uint64_t cr3)
{
    st->entry_pending = false;
    st->following = true;
    st->pid = st->entry_pid;
    st->cr3 = cr3;
    st->threads[0] = st->entry_thread; /* execve leaves one thread */
    st->thread_count = 1;
    return stub_stop(st, "");
}

static int on_single_step(struct gdb_stub *st, uint64_t rip, uint64_t cr3)
{
    if (st->mode == RUN_STEP_OVER) {
        /* The int3 goes back unless gdb removed the breakpoint meanwhile. */
        struct sw_breakpoint *bp = st->stepping_over;
        uint8_t *host = bp && bp->used ? guest_memory_ptr(&st->vmm->memory, bp->gpa, 1) : NULL;
        if (host && *host == bp->saved)
            *host = INT3;
        st->stepping_over = NULL;
        st->mode = st->mode_after_step_over;
        return stub_apply_debug(st);
    }
    if (st->mode == RUN_TO_ENTRY) {
        if (rip == st->entry_rip && same_space(st, cr3, st->entry_cr3))
            return stub_reached_entry(st, cr3);
        return 0; /* the kernel's way back to user mode, one step at a time */
    }
    if (st->mode == RUN_CONTINUE_STEPPED) {
        const struct sw_breakpoint *bp = debug_points_find_sw(&st->points, rip);
        if (bp && bp->by_gdb && stub_followed_user(st, rip, cr3))
            return stub_stop(st, "swbreak:;");
        return 0;
    }
    if (st->mode != RUN_STEP)
        return 0;
    if (stub_followed_user(st, rip, cr3))
        return stub_stop(st, "");
    if (!st->caps.software_breakpoints)
        return 0; /* through the system call too, one instruction at a time */
    /* A step into the kernel is the `syscall` instruction (interrupts are
     * held while stepping): the system call runs at full speed, and an int3
     * after the instruction stops the program where it resumes. */
    if (rip >= st->user_end && stepped_syscall(st) &&
        stub_insert_int3(st, st->step_from + 2, true) == 0) {
        st->syscall_return = st->step_from + 2;
        st->mode = RUN_SYSCALL_RETURN;
        return stub_apply_debug(st);
    }
    return 0; /* keep stepping until the program's next instruction */
}

/* KVM reports a #BP at the int3 itself on some hosts and just after it on
 * others (nested SVM under QEMU): the address of the int3 that trapped. */
static uint64_t int3_address(struct gdb_stub *st, uint64_t pc, uint64_t cr3)
{
    if (debug_points_find_sw(&st->points, pc))
        return pc;
    if (debug_points_find_sw(&st->points, pc - 1))
        return pc - 1;
    struct guest_address_space as = followed_space(st);
    as.cr3 = cr3 & PTE_ADDRESS;
    uint8_t byte = 0;
    if (guest_virt_read(&as, pc, &byte, 1) == 1 && byte == INT3)
        return pc;
    return pc - 1;
}

static int on_breakpoint(struct gdb_stub *st, uint64_t pc, uint64_t rip, uint64_t rflags,
                         uint64_t cr3)
{
    pc = int3_address(st, pc, cr3);
    struct sw_breakpoint *bp = debug_points_find_sw(&st->points, pc);
    if (!bp) {
        /* The program's own int3: given back to the guest, whose kernel
         * delivers SIGTRAP as without a debugger. KVM re-injects it as the
         * soft exception it was (the return address after the int3), as
         * QEMU's gdbstub does. */
        return gdb_vcpu_inject_breakpoint(vcpu_fd(st)) == 0 ? 0 : EXIT_STATUS_VMM_FAILURE;
    }
    if (rip != pc && gdb_vcpu_set_rip_rflags(vcpu_fd(st), pc, rflags) != 0)
        return EXIT_STATUS_VMM_FAILURE;
    if (stub_followed_user(st, pc, cr3)) {
        bool gdb_asked = bp->by_gdb;
        if (st->syscall_return == pc) {
            stub_remove_int3(st, pc, true);
            st->syscall_return = 0;
        }
        return stub_stop(st, gdb_asked ? "swbreak:;" : "");
    }
    /* Another process (a forked child running the same text) hit our int3:
     * the original instruction runs once, then the int3 goes back in. */
    stub_restore_byte(st, bp);
    st->stepping_over = bp;
    st->mode_after_step_over = st->mode;
    st->mode = RUN_STEP_OVER;
    return stub_apply_debug(st);
}

int gdb_stub_debug_exit(struct gdb_stub *st, struct kvm_run *run)
{
    uint64_t rip, rflags, cr3;
    if (gdb_vcpu_position(vcpu_fd(st), &rip, &rflags, &cr3) != 0) {
        log_error("gdb: cannot read the vCPU's registers");
        return EXIT_STATUS_VMM_FAILURE;
    }
    uint32_t exception = run->debug.arch.exception;
    uint64_t dr6 = run->debug.arch.dr6;
    st->in_followed_user = stub_followed_user(st, rip, cr3);
    if (exception == 3)
        return on_breakpoint(st, run->debug.arch.pc, rip, rflags, cr3);
    if (exception != 1) {
        log_error("gdb: unexpected debug exit (exception %u)", exception);
        return EXIT_STATUS_VMM_FAILURE;
    }
    /* A slot that fired comes first (a watchpoint on a stepped instruction
     * is reported as the watchpoint); the step is looked at if none stopped. */
    unsigned stops = st->stop_count;
    for (int i = 0; i < (int)DEBUG_HW_SLOTS; i++) {
        if ((dr6 & (1ull << i)) && st->points.slot[i].owner != DEBUG_OWNER_NONE) {
            int rc = on_slot(st, i, rip, rflags, cr3);
            if (rc != 0 || st->stop_count != stops)
                return rc;
        }
    }
    if (dr6 & DR6_SINGLE_STEP)
        return on_single_step(st, rip, cr3);
    return 0;
}

/* Only while the program's own instructions are stepped: stepping through
 * the kernel (a system call) lets interrupts in, or a call that waits for
 * one (a sleep, a pipe read) would never return. */
bool gdb_stub_holds_interrupts(const struct gdb_stub *st)
{
    return (st->mode == RUN_STEP || st->mode == RUN_STEP_OVER) && st->in_followed_user;
}

#include "core/gdb/stub_state.h"

#include <stdio.h>
#include <string.h>

#include "core/exit_status.h"
#include "core/gdb/gdb_vcpu.h"
#include "core/log.h"

int stub_apply_debug(struct gdb_stub *st)
{
    if (st->guest_reported)
        return 0; /* the guest kernel reports; KVM's guest debugging is not used */
    bool step = st->mode == RUN_STEP || st->mode == RUN_STEP_OVER ||
                st->mode == RUN_TO_ENTRY || st->mode == RUN_CONTINUE_STEPPED;
    bool int3s = st->caps.software_breakpoints && debug_points_sw_count(&st->points) > 0;
    if (gdb_vcpu_set_debug(vcpu_fd(st), &st->points, int3s, step) != 0) {
        log_error("gdb: KVM_SET_GUEST_DEBUG failed");
        return EXIT_STATUS_VMM_FAILURE;
    }
    return 0;
}

void stub_remove_all_int3(struct gdb_stub *st)
{
    for (size_t i = 0; i < DEBUG_SW_BREAKPOINTS_MAX; i++) {
        if (st->points.sw[i].used)
            stub_restore_byte(st, &st->points.sw[i]);
    }
    memset(st->points.sw, 0, sizeof st->points.sw);
    st->stepping_over = NULL;
    st->syscall_return = 0;
}

/* The debugger is gone (detach, hang-up, end of the program): every point
 * it set is taken out, and the guest runs on undisturbed. */
int stub_let_go(struct gdb_stub *st)
{
    const struct followed_thread *t = st->frame_stop ? stub_find_thread(st, st->frame_tid) : NULL;
    if (t)
        stub_thread_set_trap_flag(st, t, false);
    stub_remove_all_int3(st);
    debug_points_clear_gdb(&st->points);
    st->entry_pending = false;
    st->mode = RUN_FREE;
    st->finished = true;
    gdb_connection_hang_up(&st->conn);
    return stub_apply_debug(st);
}

bool stub_must_give_up(void *opaque)
{
    const struct gdb_stub *st = opaque;
    return vmm_run_must_stop(st->vmm);
}

static int send_packet(struct gdb_stub *st, const uint8_t *data, size_t len)
{
    uint8_t framed[2 * GDB_REPLY_MAX + 8];
    size_t n = rsp_encode(data, len, framed, sizeof framed);
    return n > 0 ? gdb_connection_write(&st->conn, framed, n) : -1;
}

int stub_send_text(struct gdb_stub *st, const char *text)
{
    return send_packet(st, (const uint8_t *)text, strlen(text));
}

/* Starts the guest again as gdb asked. */
static int resume(struct gdb_stub *st, enum gdb_action action)
{
    uint64_t rip, rflags, cr3;
    if (st->frame_stop) {
        /* Guest-reported: a step is TF in the thread's saved flags. */
        const struct followed_thread *t = stub_find_thread(st, st->frame_tid);
        st->mode = action == GDB_ACTION_STEP ? RUN_STEP : RUN_CONTINUE;
        if (!t || stub_thread_set_trap_flag(st, t, st->mode == RUN_STEP) != 0)
            return EXIT_STATUS_VMM_FAILURE;
        return 0;
    }
    if (gdb_vcpu_position(vcpu_fd(st), &rip, &rflags, &cr3) != 0)
        return EXIT_STATUS_VMM_FAILURE;
    /* gdb normally takes its breakpoints out before it resumes; one it left
     * in at rip would fire again at once: RF lets the instruction run. */
    for (unsigned i = 0; i < DEBUG_HW_SLOTS; i++) {
        const struct debug_slot *slot = &st->points.slot[i];
        if (slot->owner != DEBUG_OWNER_NONE && slot->kind == DEBUG_SLOT_EXECUTE &&
            slot->addr == rip && gdb_vcpu_set_rip_rflags(vcpu_fd(st), rip, rflags | RFLAGS_RF))
            return EXIT_STATUS_VMM_FAILURE;
    }
    st->mode = action == GDB_ACTION_STEP ? RUN_STEP : RUN_CONTINUE;
    /* Breakpoints that are only notes (no int3 reports): every instruction
     * is stepped and compared with them, at a VM exit each. */
    if (st->mode == RUN_CONTINUE && !st->caps.software_breakpoints &&
        debug_points_sw_count(&st->points) > 0)
        st->mode = RUN_CONTINUE_STEPPED;
    st->step_from = rip;
    return stub_apply_debug(st);
}

static int hung_up(struct gdb_stub *st)
{
    log_error("gdb: the debugger hung up; the program runs on");
    return stub_let_go(st);
}

/* Answers gdb's packets while the guest is stopped, until gdb resumes it.
 * 0 to run on, or minivm's exit status. */
static int serve(struct gdb_stub *st)
{
    uint8_t in[1024];
    uint8_t reply[GDB_REPLY_MAX];
    for (;;) {
        size_t n = gdb_connection_read(&st->conn, in, sizeof in, stub_must_give_up, st);
        if (n == 0)
            return stub_must_give_up(st) ? 0 /* the run loop reports the timeout */ : hung_up(st);
        for (size_t i = 0; i < n; i++) {
            enum rsp_input input = rsp_decoder_feed(&st->decoder, in[i]);
            if (input == RSP_INPUT_BAD && !st->session.no_ack) {
                gdb_connection_write(&st->conn, (const uint8_t *)"-", 1);
                continue;
            }
            if (input != RSP_INPUT_PACKET)
                continue; /* acks, and Ctrl-C while already stopped */
            if (!st->session.no_ack)
                gdb_connection_write(&st->conn, (const uint8_t *)"+", 1);
            size_t reply_len = 0;
            enum gdb_action action = gdb_session_handle(&st->session, st->decoder.data,
                                                        st->decoder.len, reply, &reply_len);
            switch (action) {
            case GDB_ACTION_REPLY:
                if (send_packet(st, reply, reply_len) != 0)
                    return hung_up(st);
                break;
            case GDB_ACTION_CONTINUE:
            case GDB_ACTION_STEP:
                /* What follows a resume in this read can only be gdb's ack of
                 * an earlier reply: gdb waits for the stop reply. */
                return resume(st, action);
            case GDB_ACTION_DETACH:
                send_packet(st, reply, reply_len);
                return stub_let_go(st);
            case GDB_ACTION_KILL:
                if (reply_len > 0)
                    send_packet(st, reply, reply_len);
                gdb_connection_hang_up(&st->conn);
                st->finished = true;
                log_error("gdb: the debugger killed the program");
                return 128 + 9;
            }
        }
    }
}

/* The followed process stopped: tell gdb (waiting for it to connect first,
 * the first time) and serve it. */
int stub_stop(struct gdb_stub *st, const char *why)
{
    uint64_t rip, rflags, cr3;
    if (gdb_vcpu_position(vcpu_fd(st), &rip, &rflags, &cr3) != 0)
        return EXIT_STATUS_VMM_FAILURE;
    gdb_session_stopped(&st->session, (uint32_t)st->pid,
                        st->frame_stop ? st->frame_tid : stub_running_thread(st, cr3));
    st->mode = RUN_CONTINUE; /* nothing steps while stopped */
    st->in_followed_user = true;
    st->stop_count++;
    char thread[32];
    gdb_session_thread_text(&st->session, st->session.thread, thread, sizeof thread);
    snprintf(st->session.stop_reply, sizeof st->session.stop_reply, "T05%sthread:%s;", why,
             thread);
    if (!st->connected) {
        log_error("gdb: the program is stopped before its first instruction; waiting for gdb "
                  "on %s",
                  st->conn.where);
        if (!st->caps.software_breakpoints && !st->guest_reported)
            log_error("gdb: this KVM does not report int3: breakpoints are emulated by "
                      "single-stepping (slow)");
        if (!st->caps.hardware_points)
            log_error("gdb: this KVM ignores debug registers: no hardware breakpoints or "
                      "watchpoints (in gdb: set can-use-hw-watchpoints 0)");
        if (gdb_connection_accept(&st->conn, stub_must_give_up, st) != 0)
            return stub_must_give_up(st) ? 0 : EXIT_STATUS_VMM_FAILURE;
        st->connected = true;
        /* gdb opens with qSupported and asks `?` itself: no stop reply now. */
    } else if (stub_send_text(st, st->session.stop_reply) != 0) {
        return hung_up(st);
    }
    return serve(st);
}

/* Lets the vCPU past an execute breakpoint it stopped at (RF suppresses
 * instruction breakpoints for one instruction), then runs on. */
int stub_run_past_breakpoint(struct gdb_stub *st, uint64_t rip, uint64_t rflags)
{
    return gdb_vcpu_set_rip_rflags(vcpu_fd(st), rip, rflags | RFLAGS_RF) == 0
               ? 0
               : EXIT_STATUS_VMM_FAILURE;
}

bool stub_followed_user(const struct gdb_stub *st, uint64_t rip, uint64_t cr3)
{
    return st->following && !st->finished && rip < st->user_end && same_space(st, cr3, st->cr3);
}

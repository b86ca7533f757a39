#include "core/gdb/stub_state.h"

#include <string.h>

#include "core/gdb/gdb_signals.h"
#include "core/gdb/gdb_stub.h"
#include "core/log.h"
#include "minivm/gdb_events.h"

static bool valid_table(const struct gdb_stub *st, uint64_t cr3)
{
    return (cr3 & ~PTE_ADDRESS) == 0 &&
           guest_memory_ptr(&st->vmm->memory, cr3, MINIVM_PAGE_SIZE) != NULL;
}

static bool is_followed(const struct gdb_stub *st, int32_t pid)
{
    if (st->finished)
        return false;
    if (st->following)
        return pid == st->pid;
    return !st->entry_pending || pid == st->entry_pid; /* the first pid heard of */
}

/* From the start event to the first user instruction is the kernel's return
 * to user mode: single-stepped (debug registers do not work on every host),
 * with interrupts let through so a reschedule on the way cannot hang. */
/* A thread as an event gives it: a kernel stack in the kernel's half,
 * aligned like a stack top (reads through it are walked and checked anyway). */
static bool valid_thread(const struct gdb_stub *st, const struct gdb_event_args *a)
{
    return a->tid > 0 && a->kstack_top >= st->user_end && a->kstack_top % 16 == 0;
}

/* Guest-reported stops: the VM stops inside the guest kernel's report, the
 * thread's registers in its frame. An exit status the stop ends in (gdb's
 * kill, a failure) ends the run once the report returns. */
static int64_t stop_in_report(struct gdb_stub *st, const struct gdb_event_args *a, bool start,
                              const char *why)
{
    if (start) {
        st->following = true;
        st->pid = a->pid;
        st->cr3 = a->cr3;
        st->threads[0] = (struct followed_thread){a->tid, a->kstack_top};
        st->thread_count = 1;
    }
    st->frame_stop = true;
    st->frame_tid = (uint32_t)a->tid;
    int status = stub_stop(st, why);
    st->frame_stop = false;
    if (status != 0) {
        st->vmm->exit_requested = true;
        st->vmm->exit_status = status;
    }
    return 1;
}

static int64_t on_start(struct gdb_stub *st, const struct gdb_event_args *a)
{
    if (a->pid <= 0 || a->rip == 0 || a->rip >= st->user_end || !valid_table(st, a->cr3) ||
        a->tid != a->pid || !valid_thread(st, a))
        return -22;
    if (!is_followed(st, a->pid))
        return 0;
    if (st->guest_reported) {
        stop_in_report(st, a, true, "");
        return 0;
    }
    st->entry_pending = true;
    st->entry_thread = (struct followed_thread){a->tid, a->kstack_top};
    st->entry_pid = a->pid;
    st->entry_rip = a->rip;
    st->entry_cr3 = a->cr3;
    st->mode = RUN_TO_ENTRY;
    return stub_apply_debug(st) == 0 ? 0 : -5;
}

/* execve's point of no return: the old image's int3s come out while its
 * pages still exist. gdb sees the new program only once the user loads its
 * symbols (`file`); its hardware watchpoints stay on their addresses. */
static int64_t on_exec(struct gdb_stub *st, const struct gdb_event_args *a)
{
    if (a->pid <= 0)
        return -22;
    if (st->following && is_followed(st, a->pid)) {
        stub_remove_all_int3(st);
        if (stub_apply_debug(st) != 0)
            return -5;
    }
    return 0;
}

static int64_t on_thread(struct gdb_stub *st, const struct gdb_event_args *a)
{
    bool started = a->hdr.op == GDB_EVENT_THREAD;
    if (a->pid <= 0 || a->tid <= 0 || (started && !valid_thread(st, a)))
        return -22;
    if (!st->following || !is_followed(st, a->pid))
        return 0;
    struct followed_thread *t = stub_find_thread(st, (uint32_t)a->tid);
    if (started && !t && st->thread_count < GDB_THREADS_MAX)
        st->threads[st->thread_count++] = (struct followed_thread){a->tid, a->kstack_top};
    if (!started && t)
        *t = st->threads[--st->thread_count];
    return 0;
}

/* A #BP or #DB the guest kernel reports (guest_reported mode). */
static int64_t on_trap(struct gdb_stub *st, const struct gdb_event_args *a)
{
    if (a->pid <= 0 || !valid_thread(st, a) || (a->status != 1 && a->status != 3))
        return -22;
    if (!st->guest_reported || st->finished || !st->following)
        return 0;
    struct followed_thread reporter = {a->tid, a->kstack_top};
    bool ours = a->pid == st->pid;
    if (a->status == 1) {
        /* The step after a foreign thread ran our breakpoint's instruction. */
        if (st->stepping_over && st->stepping_tid == a->tid && st->stepping_pid == a->pid) {
            struct sw_breakpoint *bp = st->stepping_over;
            uint8_t *host = bp->used ? guest_memory_ptr(&st->vmm->memory, bp->gpa, 1) : NULL;
            if (host && *host == bp->saved)
                *host = INT3;
            st->stepping_over = NULL;
            return stub_thread_set_trap_flag(st, &reporter, false) == 0 ? 1 : 0;
        }
        if (!ours || st->mode != RUN_STEP)
            return 0; /* the program's own TF: SIGTRAP as usual */
        stub_thread_set_trap_flag(st, &reporter, false);
        return stop_in_report(st, a, false, "");
    }
    /* #BP: rip is after the int3. */
    uint64_t rip = stub_thread_rip(st, &reporter);
    struct sw_breakpoint *bp = rip ? debug_points_find_sw(&st->points, rip - 1) : NULL;
    if (!bp)
        return 0; /* the program's own int3 */
    if (stub_thread_set_rip(st, &reporter, rip - 1) != 0)
        return 0;
    if (ours) {
        bool gdb_asked = bp->by_gdb;
        return stop_in_report(st, a, false, gdb_asked ? "swbreak:;" : "");
    }
    /* A forked child in shared text: the original instruction once, then
     * the int3 back (the #DB of its step, above). */
    stub_restore_byte(st, bp);
    st->stepping_over = bp;
    st->stepping_pid = a->pid;
    st->stepping_tid = a->tid;
    return stub_thread_set_trap_flag(st, &reporter, true) == 0 ? 1 : 0;
}

static void stub_report_end(struct gdb_stub *st, char kind, int code)
{
    char text[48];
    gdb_session_end_text(&st->session, kind, code, text, sizeof text);
    if (st->connected && !st->finished)
        stub_send_text(st, text);
    stub_let_go(st);
}

static int64_t on_end(struct gdb_stub *st, const struct gdb_event_args *a)
{
    bool killed = a->hdr.op == GDB_EVENT_KILLED;
    if (a->pid <= 0 ||
        (killed ? a->status < 1 || a->status > 64 : a->status < 0 || a->status > 255))
        return -22;
    if (!st->following && st->entry_pending && a->pid == st->entry_pid) {
        /* Started, never stopped: single-stepping to its first instruction
         * did not work on this host (the probe could not tell). */
        log_error("gdb: the program ended without reaching its first instruction under the "
                  "debugger: this KVM does not single-step the guest; the gdb stub cannot work "
                  "here");
        return 0;
    }
    if (!st->following || !is_followed(st, a->pid))
        return 0;
    stub_report_end(st, killed ? 'X' : 'W', killed ? gdb_signal_from_linux(a->status) : a->status);
    return 0;
}

int stub_on_event_port(void *opaque, uint16_t port, bool is_write, uint8_t size, uint32_t *value)
{
    (void)port;
    struct gdb_stub *st = opaque;
    if (!is_write || size != 4)
        return -1;
    struct gdb_event_args *block =
        guest_memory_ptr(&st->vmm->memory, *value, sizeof(struct gdb_event_args));
    if (!block)
        return -1;
    struct gdb_event_args a;
    memcpy(&a, block, sizeof a); /* one copy; the guest may change the block */
    int64_t result = -22;
    if (a.hdr.op == GDB_EVENT_START)
        result = on_start(st, &a);
    else if (a.hdr.op == GDB_EVENT_EXEC)
        result = on_exec(st, &a);
    else if (a.hdr.op == GDB_EVENT_EXIT || a.hdr.op == GDB_EVENT_KILLED)
        result = on_end(st, &a);
    else if (a.hdr.op == GDB_EVENT_THREAD || a.hdr.op == GDB_EVENT_THREAD_EXIT)
        result = on_thread(st, &a);
    else if (a.hdr.op == GDB_EVENT_TRAP)
        result = on_trap(st, &a);
    memcpy(&block->hdr.result, &result, sizeof result);
    return 0;
}

void gdb_stub_run_ended(struct gdb_stub *st, int status)
{
    if (!st->connected || st->finished)
        return;
    if (status > 128 && status <= 128 + 64)
        stub_report_end(st, 'X', gdb_signal_from_linux(status - 128));
    else
        stub_report_end(st, 'X', 9); /* timeout or a minivm failure: the program is gone */
}

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

static int64_t on_start(struct gdb_stub *st, const struct gdb_event_args *a)
{
    if (a->pid <= 0 || a->rip == 0 || a->rip >= st->user_end || !valid_table(st, a->cr3) ||
        a->tid != a->pid || !valid_thread(st, a))
        return -22;
    if (!is_followed(st, a->pid))
        return 0;
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

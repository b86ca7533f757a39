#include "core/gdb/gdb_stub.h"

#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "core/exit_status.h"
#include "core/gdb/debug_points.h"
#include "core/gdb/gdb_connection.h"
#include "core/gdb/gdb_session.h"
#include "core/gdb/gdb_signals.h"
#include "core/gdb/gdb_vcpu.h"
#include "core/gdb/guest_page_walk.h"
#include "core/gdb/debug_probe.h"
#include "core/gdb/rsp_framing.h"
#include "core/log.h"
#include "core/vcpu_run.h"
#include "core/vmm.h"
#include "minivm/gdb_events.h"

#define PTE_ADDRESS 0x000ffffffffff000ull
#define RFLAGS_RF 0x10000ull
#define DR6_SINGLE_STEP 0x4000ull
#define INT3 0xcc
/* The upper-half layout's user space: the lower canonical half. */
#define UPPER_USER_END 0x0000800000000000ull

/* How the guest runs until the next KVM_EXIT_DEBUG. */
enum run_mode {
    RUN_FREE,           /* no debugger (any more) */
    RUN_CONTINUE,       /* gdb said c */
    RUN_STEP,           /* gdb said s: one instruction of the followed process */
    RUN_SYSCALL_RETURN, /* a stepped `syscall`: run to the instruction after it */
    RUN_STEP_OVER,      /* another process over one of our int3s, then as before */
    RUN_TO_ENTRY,       /* step from a start event to the program's first instruction */
    RUN_CONTINUE_STEPPED, /* c where int3s are not reported: step, compare with breakpoints */
};

struct gdb_stub {
    struct vmm *vmm;
    struct gdb_connection conn;
    struct rsp_decoder decoder;
    struct gdb_session session;
    struct debug_points points;
    uint64_t user_end;
    bool pvm;
    struct debug_capabilities caps; /* what this host's KVM honours (debug_probe.h) */
    bool in_followed_user; /* where the last debug exit found the vCPU */

    /* The followed process: the first pid the kernel reported, its address
     * space taken from the vCPU once it reached its first instruction. */
    bool following;
    int32_t pid;
    uint64_t cr3;

    /* Its threads as the kernel reported them (the first GDB_THREADS_MAX). */
    struct followed_thread {
        int32_t tid;
        uint64_t kstack_top; /* the TSS's RSP0 while this thread runs; its user
                                registers below it while it does not */
    } threads[GDB_THREADS_MAX];
    size_t thread_count;

    /* A start reported whose first instruction is not reached yet. */
    bool entry_pending;
    struct followed_thread entry_thread;
    int32_t entry_pid;
    uint64_t entry_rip;
    uint64_t entry_cr3;

    enum run_mode mode;
    enum run_mode mode_after_step_over;
    struct sw_breakpoint *stepping_over;
    uint64_t step_from;     /* rip where gdb's step began */
    uint64_t syscall_return; /* the stub's int3 after a stepped syscall; 0: none */

    unsigned stop_count; /* stops reported to gdb so far */
    bool connected;
    bool finished; /* W/X sent, or gdb detached: the guest runs free */
};

const unsigned long gdb_stub_vcpu_ioctls[] = {
    KVM_SET_GUEST_DEBUG, KVM_SET_REGS,        KVM_SET_SREGS,       KVM_GET_FPU,
    KVM_SET_FPU,         KVM_GET_VCPU_EVENTS, KVM_SET_VCPU_EVENTS,
};
const unsigned gdb_stub_vcpu_ioctl_count =
    sizeof gdb_stub_vcpu_ioctls / sizeof gdb_stub_vcpu_ioctls[0];

static int vcpu_fd(const struct gdb_stub *st)
{
    return st->vmm->kvm.vcpu_fd;
}

/* Two CR3 values name the same address space. PVM's kernel and user tables
 * come as an 8 KiB-aligned pair (docs/pvm.md): either half names it. */
static bool same_space(const struct gdb_stub *st, uint64_t a, uint64_t b)
{
    uint64_t mask = PTE_ADDRESS & (st->pvm ? ~0x1fffull : ~0xfffull);
    return (a & mask) == (b & mask);
}

static struct guest_address_space followed_space(const struct gdb_stub *st)
{
    /* PVM: user mappings live in the pair's upper (user) table. */
    uint64_t cr3 = st->pvm ? (st->cr3 & PTE_ADDRESS & ~0x1fffull) + 0x1000 : st->cr3;
    return (struct guest_address_space){&st->vmm->memory, cr3 & PTE_ADDRESS, st->user_end, false};
}

/* ---- threads ---- */

static struct followed_thread *find_thread(struct gdb_stub *st, uint32_t tid)
{
    for (size_t i = 0; i < st->thread_count; i++) {
        if ((uint32_t)st->threads[i].tid == tid)
            return &st->threads[i];
    }
    return NULL;
}

/* The thread running on the vCPU: the one whose kernel stack is the TSS's
 * RSP0 (read through the guest kernel's own mappings); the main thread when
 * that cannot be told. */
static uint32_t running_thread(struct gdb_stub *st, uint64_t cr3)
{
    uint64_t tss, rsp0 = 0;
    struct guest_address_space kernel = {&st->vmm->memory, cr3 & PTE_ADDRESS, 0, true};
    if (gdb_vcpu_tss_base(vcpu_fd(st), &tss) == 0 &&
        guest_virt_read(&kernel, tss + 4, (uint8_t *)&rsp0, sizeof rsp0) == sizeof rsp0) {
        for (size_t i = 0; i < st->thread_count; i++) {
            if (st->threads[i].kstack_top == rsp0)
                return (uint32_t)st->threads[i].tid;
        }
    }
    return (uint32_t)st->pid;
}

/* A thread that is not running: its user registers as it saved them on
 * entering the kernel (general registers, rip, flags, cs/ss), just below
 * its kernel stack's top, read through the guest kernel's mappings (the
 * kernel half is the same in every address space); the rest (x87/SSE,
 * fs_base) lives in kernel structures the stub does not read. */
static uint64_t frame_address(const struct followed_thread *t)
{
    return t->kstack_top - sizeof(struct gdb_user_frame);
}

static struct guest_address_space kernel_space(const struct gdb_stub *st)
{
    uint64_t rip, rflags, cr3 = 0;
    gdb_vcpu_position(vcpu_fd(st), &rip, &rflags, &cr3);
    return (struct guest_address_space){&st->vmm->memory, cr3 & PTE_ADDRESS, 0, true};
}

static int frame_get(struct gdb_stub *st, const struct followed_thread *t, struct x86_registers *r)
{
    struct gdb_user_frame f; /* one copy */
    struct guest_address_space kernel = kernel_space(st);
    if (guest_virt_read(&kernel, frame_address(t), (uint8_t *)&f, sizeof f) != sizeof f)
        return -1;
    memset(r, 0, sizeof *r);
    uint64_t gpr[16] = {f.rax, f.rbx, f.rcx, f.rdx, f.rsi, f.rdi, f.rbp, f.rsp,
                        f.r8,  f.r9,  f.r10, f.r11, f.r12, f.r13, f.r14, f.r15};
    memcpy(r->gpr, gpr, sizeof gpr);
    r->rip = f.rip;
    r->eflags = (uint32_t)f.rflags;
    r->segment[0] = (uint32_t)f.cs;
    r->segment[1] = (uint32_t)f.ss;
    r->orig_rax = ~0ull;
    return 0;
}

static int frame_set(struct gdb_stub *st, const struct followed_thread *t,
                     const struct x86_registers *r)
{
    struct gdb_user_frame f;
    struct guest_address_space kernel = kernel_space(st);
    if (guest_virt_read(&kernel, frame_address(t), (uint8_t *)&f, sizeof f) != sizeof f)
        return -1;
    const uint64_t *g = r->gpr;
    f.rax = g[0], f.rbx = g[1], f.rcx = g[2], f.rdx = g[3], f.rsi = g[4], f.rdi = g[5];
    f.rbp = g[6], f.rsp = g[7], f.r8 = g[8], f.r9 = g[9], f.r10 = g[10], f.r11 = g[11];
    f.r12 = g[12], f.r13 = g[13], f.r14 = g[14], f.r15 = g[15];
    f.rip = r->rip;
    /* The arithmetic flags and DF only, as for the running thread; the guest
     * kernel checks the rest of the frame before it returns to user mode. */
    f.rflags = (f.rflags & ~0xcd5ull) | (r->eflags & 0xcd5ull);
    return guest_virt_write(&kernel, frame_address(t), (const uint8_t *)&f, sizeof f) == sizeof f
               ? 0
               : -1;
}

/* ---- the target gdb_session drives ---- */

static int target_get_registers(void *ctx, uint32_t thread, struct x86_registers *regs)
{
    struct gdb_stub *st = ctx;
    const struct followed_thread *t = find_thread(st, thread);
    if (thread == st->session.thread || !t)
        return gdb_vcpu_get(vcpu_fd(st), regs);
    return frame_get(st, t, regs);
}

static int target_set_registers(void *ctx, uint32_t thread, const struct x86_registers *regs)
{
    struct gdb_stub *st = ctx;
    const struct followed_thread *t = find_thread(st, thread);
    if (thread == st->session.thread || !t)
        return gdb_vcpu_set(vcpu_fd(st), regs);
    return frame_set(st, t, regs);
}

static size_t target_list_threads(void *ctx, uint32_t *ids, size_t max)
{
    struct gdb_stub *st = ctx;
    size_t n = 0;
    for (; n < st->thread_count && n < max; n++)
        ids[n] = (uint32_t)st->threads[n].tid;
    return n;
}

static size_t target_read_memory(void *ctx, uint64_t addr, uint8_t *buf, size_t len)
{
    struct gdb_stub *st = ctx;
    struct guest_address_space as = followed_space(st);
    size_t n = guest_virt_read(&as, addr, buf, len);
    /* gdb sees the program's bytes, not the int3s put in for it. */
    for (size_t i = 0; i < DEBUG_SW_BREAKPOINTS_MAX; i++) {
        const struct sw_breakpoint *bp = &st->points.sw[i];
        if (bp->used && bp->addr >= addr && bp->addr - addr < n)
            buf[bp->addr - addr] = bp->saved;
    }
    return n;
}

static size_t target_write_memory(void *ctx, uint64_t addr, const uint8_t *buf, size_t len)
{
    struct gdb_stub *st = ctx;
    struct guest_address_space as = followed_space(st);
    return guest_virt_write(&as, addr, buf, len);
}

/* An int3 at `addr` of the followed process, for gdb or for the stub. */
static int insert_software(struct gdb_stub *st, uint64_t addr, bool by_stub)
{
    struct sw_breakpoint *bp = debug_points_find_sw(&st->points, addr);
    if (!bp) {
        bp = debug_points_free_sw(&st->points);
        struct guest_address_space as = followed_space(st);
        struct guest_page page;
        if (!bp || guest_page_walk(&as, addr, &page) != 0)
            return -1;
        /* Without int3 reports the breakpoint is only a note the stepping
         * compares rip with: nothing is written. */
        if (st->caps.software_breakpoints &&
            guest_page_patch_byte(&as, addr, INT3, &bp->saved) != 0)
            return -1;
        bp->used = true;
        bp->addr = addr;
        bp->gpa = page.gpa;
    }
    if (by_stub)
        bp->by_stub = true;
    else
        bp->by_gdb = true;
    return 0;
}

/* Puts the replaced byte back, unless the page no longer holds our int3
 * (its process is gone and the page reused): then it is not ours to touch. */
static void restore_byte(struct gdb_stub *st, const struct sw_breakpoint *bp)
{
    uint8_t *host = guest_memory_ptr(&st->vmm->memory, bp->gpa, 1);
    if (st->caps.software_breakpoints && host && *host == INT3)
        *host = bp->saved;
}

/* Drops one owner's claim; the int3 goes when nobody needs it. Removing a
 * breakpoint that is not there succeeds: after an execve the stub has taken
 * the old image's out itself, and gdb removes them again at its next stop. */
static int remove_software(struct gdb_stub *st, uint64_t addr, bool by_stub)
{
    struct sw_breakpoint *bp = debug_points_find_sw(&st->points, addr);
    if (!bp)
        return 0;
    if (by_stub)
        bp->by_stub = false;
    else
        bp->by_gdb = false;
    if (!bp->by_stub && !bp->by_gdb) {
        if (st->stepping_over == bp)
            st->stepping_over = NULL;
        restore_byte(st, bp);
        memset(bp, 0, sizeof *bp);
    }
    return 0;
}

static enum debug_slot_kind slot_kind(enum gdb_point_type type)
{
    return type == GDB_POINT_HARDWARE ? DEBUG_SLOT_EXECUTE
           : type == GDB_POINT_WRITE  ? DEBUG_SLOT_WRITE
                                      : DEBUG_SLOT_ACCESS;
}

static int target_insert_point(void *ctx, enum gdb_point_type type, uint64_t addr, uint64_t len)
{
    struct gdb_stub *st = ctx;
    if (addr >= st->user_end)
        return -1;
    if (type == GDB_POINT_SOFTWARE)
        return insert_software(st, addr, false);
    if (!st->caps.hardware_points)
        return 1; /* unsupported: gdb falls back to software watchpoints */
    return debug_points_add_gdb(&st->points, slot_kind(type), (uint8_t)type, addr, len);
}

static int target_remove_point(void *ctx, enum gdb_point_type type, uint64_t addr, uint64_t len)
{
    struct gdb_stub *st = ctx;
    if (type == GDB_POINT_SOFTWARE)
        return remove_software(st, addr, false);
    if (!st->caps.hardware_points)
        return 1;
    return debug_points_remove_gdb(&st->points, slot_kind(type), addr, len);
}

static const struct gdb_target_ops target_ops = {
    .get_registers = target_get_registers,
    .set_registers = target_set_registers,
    .list_threads = target_list_threads,
    .read_memory = target_read_memory,
    .write_memory = target_write_memory,
    .insert_point = target_insert_point,
    .remove_point = target_remove_point,
};

/* ---- running ---- */

static int apply_debug(struct gdb_stub *st)
{
    bool step = st->mode == RUN_STEP || st->mode == RUN_STEP_OVER ||
                st->mode == RUN_TO_ENTRY || st->mode == RUN_CONTINUE_STEPPED;
    bool int3s = st->caps.software_breakpoints && debug_points_sw_count(&st->points) > 0;
    if (gdb_vcpu_set_debug(vcpu_fd(st), &st->points, int3s, step) != 0) {
        log_error("gdb: KVM_SET_GUEST_DEBUG failed");
        return EXIT_STATUS_VMM_FAILURE;
    }
    return 0;
}

static void remove_all_software(struct gdb_stub *st)
{
    for (size_t i = 0; i < DEBUG_SW_BREAKPOINTS_MAX; i++) {
        if (st->points.sw[i].used)
            restore_byte(st, &st->points.sw[i]);
    }
    memset(st->points.sw, 0, sizeof st->points.sw);
    st->stepping_over = NULL;
    st->syscall_return = 0;
}

/* The debugger is gone (detach, hang-up, end of the program): every point
 * it set is taken out, and the guest runs on undisturbed. */
static int let_go(struct gdb_stub *st)
{
    remove_all_software(st);
    debug_points_clear_gdb(&st->points);
    st->entry_pending = false;
    st->mode = RUN_FREE;
    st->finished = true;
    gdb_connection_hang_up(&st->conn);
    return apply_debug(st);
}

static bool must_give_up(void *opaque)
{
    const struct gdb_stub *st = opaque;
    return vcpu_run_must_stop(st->vmm);
}

static int send_packet(struct gdb_stub *st, const uint8_t *data, size_t len)
{
    uint8_t framed[2 * GDB_REPLY_MAX + 8];
    size_t n = rsp_encode(data, len, framed, sizeof framed);
    return n > 0 ? gdb_connection_write(&st->conn, framed, n) : -1;
}

static int send_text(struct gdb_stub *st, const char *text)
{
    return send_packet(st, (const uint8_t *)text, strlen(text));
}

/* Starts the guest again as gdb asked. */
static int resume(struct gdb_stub *st, enum gdb_action action)
{
    uint64_t rip, rflags, cr3;
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
    return apply_debug(st);
}

static int hung_up(struct gdb_stub *st)
{
    log_error("gdb: the debugger hung up; the program runs on");
    return let_go(st);
}

/* Answers gdb's packets while the guest is stopped, until gdb resumes it.
 * 0 to run on, or minivm's exit status. */
static int serve(struct gdb_stub *st)
{
    uint8_t in[1024];
    uint8_t reply[GDB_REPLY_MAX];
    for (;;) {
        size_t n = gdb_connection_read(&st->conn, in, sizeof in, must_give_up, st);
        if (n == 0)
            return must_give_up(st) ? 0 /* the run loop reports the timeout */ : hung_up(st);
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
                return let_go(st);
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
static int stop(struct gdb_stub *st, const char *why)
{
    uint64_t rip, rflags, cr3;
    if (gdb_vcpu_position(vcpu_fd(st), &rip, &rflags, &cr3) != 0)
        return EXIT_STATUS_VMM_FAILURE;
    gdb_session_stopped(&st->session, (uint32_t)st->pid, running_thread(st, cr3));
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
        if (!st->caps.software_breakpoints)
            log_error("gdb: this KVM does not report int3: breakpoints are emulated by "
                      "single-stepping (slow)");
        if (!st->caps.hardware_points)
            log_error("gdb: this KVM ignores debug registers: no hardware breakpoints or "
                      "watchpoints (in gdb: set can-use-hw-watchpoints 0)");
        if (gdb_connection_accept(&st->conn, must_give_up, st) != 0)
            return must_give_up(st) ? 0 : EXIT_STATUS_VMM_FAILURE;
        st->connected = true;
        /* gdb opens with qSupported and asks `?` itself: no stop reply now. */
    } else if (send_text(st, st->session.stop_reply) != 0) {
        return hung_up(st);
    }
    return serve(st);
}

/* Lets the vCPU past an execute breakpoint it stopped at (RF suppresses
 * instruction breakpoints for one instruction), then runs on. */
static int run_past_instruction_breakpoint(struct gdb_stub *st, uint64_t rip, uint64_t rflags)
{
    return gdb_vcpu_set_rip_rflags(vcpu_fd(st), rip, rflags | RFLAGS_RF) == 0
               ? 0
               : EXIT_STATUS_VMM_FAILURE;
}

static bool followed_user(const struct gdb_stub *st, uint64_t rip, uint64_t cr3)
{
    return st->following && !st->finished && rip < st->user_end && same_space(st, cr3, st->cr3);
}

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
    bool ours = followed_user(st, rip, cr3);
    if (slot->kind == DEBUG_SLOT_EXECUTE)
        return ours ? stop(st, "hwbreak:;") : run_past_instruction_breakpoint(st, rip, rflags);
    /* A data watchpoint traps after the access. Hits in another process, or
     * in the guest kernel (copying to the program's memory in a system
     * call), are not reported: gdb checks the value at its next stop. */
    if (!ours)
        return 0;
    char why[48];
    snprintf(why, sizeof why, "%s:%llx;", watch_name(slot->gdb_type),
             (unsigned long long)slot->addr);
    return stop(st, why);
}

/* The stepped instruction was `syscall` (0f 05). */
static bool stepped_syscall(struct gdb_stub *st)
{
    uint8_t code[2];
    struct guest_address_space as = followed_space(st);
    return guest_virt_read(&as, st->step_from, code, 2) == 2 && code[0] == 0x0f && code[1] == 0x05;
}

static int reached_entry(struct gdb_stub *st, uint64_t cr3)
{
    st->entry_pending = false;
    st->following = true;
    st->pid = st->entry_pid;
    st->cr3 = cr3;
    st->threads[0] = st->entry_thread; /* execve leaves one thread */
    st->thread_count = 1;
    return stop(st, "");
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
        return apply_debug(st);
    }
    if (st->mode == RUN_TO_ENTRY) {
        if (rip == st->entry_rip && same_space(st, cr3, st->entry_cr3))
            return reached_entry(st, cr3);
        return 0; /* the kernel's way back to user mode, one step at a time */
    }
    if (st->mode == RUN_CONTINUE_STEPPED) {
        const struct sw_breakpoint *bp = debug_points_find_sw(&st->points, rip);
        if (bp && bp->by_gdb && followed_user(st, rip, cr3))
            return stop(st, "swbreak:;");
        return 0;
    }
    if (st->mode != RUN_STEP)
        return 0;
    if (followed_user(st, rip, cr3))
        return stop(st, "");
    if (!st->caps.software_breakpoints)
        return 0; /* through the system call too, one instruction at a time */
    /* A step into the kernel is the `syscall` instruction (interrupts are
     * held while stepping): the system call runs at full speed, and an int3
     * after the instruction stops the program where it resumes. */
    if (rip >= st->user_end && stepped_syscall(st) &&
        insert_software(st, st->step_from + 2, true) == 0) {
        st->syscall_return = st->step_from + 2;
        st->mode = RUN_SYSCALL_RETURN;
        return apply_debug(st);
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
    if (followed_user(st, pc, cr3)) {
        bool gdb_asked = bp->by_gdb;
        if (st->syscall_return == pc) {
            remove_software(st, pc, true);
            st->syscall_return = 0;
        }
        return stop(st, gdb_asked ? "swbreak:;" : "");
    }
    /* Another process (a forked child running the same text) hit our int3:
     * the original instruction runs once, then the int3 goes back in. */
    restore_byte(st, bp);
    st->stepping_over = bp;
    st->mode_after_step_over = st->mode;
    st->mode = RUN_STEP_OVER;
    return apply_debug(st);
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
    st->in_followed_user = followed_user(st, rip, cr3);
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

/* ---- events from the guest kernel ---- */

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
    return apply_debug(st) == 0 ? 0 : -5;
}

/* execve's point of no return: the old image's int3s come out while its
 * pages still exist. gdb sees the new program only once the user loads its
 * symbols (`file`); its hardware watchpoints stay on their addresses. */
static int64_t on_exec(struct gdb_stub *st, const struct gdb_event_args *a)
{
    if (a->pid <= 0)
        return -22;
    if (st->following && is_followed(st, a->pid)) {
        remove_all_software(st);
        if (apply_debug(st) != 0)
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
    struct followed_thread *t = find_thread(st, (uint32_t)a->tid);
    if (started && !t && st->thread_count < GDB_THREADS_MAX)
        st->threads[st->thread_count++] = (struct followed_thread){a->tid, a->kstack_top};
    if (!started && t)
        *t = st->threads[--st->thread_count];
    return 0;
}

static void report_end(struct gdb_stub *st, char kind, int code)
{
    char text[48];
    gdb_session_end_text(&st->session, kind, code, text, sizeof text);
    if (st->connected && !st->finished)
        send_text(st, text);
    let_go(st);
}

static int64_t on_end(struct gdb_stub *st, const struct gdb_event_args *a)
{
    bool killed = a->hdr.op == GDB_EVENT_KILLED;
    if (a->pid <= 0 ||
        (killed ? a->status < 1 || a->status > 64 : a->status < 0 || a->status > 255))
        return -22;
    if (!st->following || !is_followed(st, a->pid))
        return 0;
    report_end(st, killed ? 'X' : 'W', killed ? gdb_signal_from_linux(a->status) : a->status);
    return 0;
}

static int on_event_port(void *opaque, uint16_t port, bool is_write, uint8_t size, uint32_t *value)
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
        report_end(st, 'X', gdb_signal_from_linux(status - 128));
    else
        report_end(st, 'X', 9); /* timeout or a minivm failure: the program is gone */
}

/* ---- set-up ---- */

int gdb_stub_open(struct vmm *vmm, const char *spec, bool pvm_layout)
{
    if (!gdb_vcpu_debug_supported(vmm->kvm.kvm_fd)) {
        log_error("--gdb: this KVM cannot debug a guest (no KVM_CAP_SET_GUEST_DEBUG)");
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
    debug_probe(vmm->kvm.kvm_fd, &st->caps);
    if (!st->caps.single_step) {
        log_error("--gdb: this KVM does not single-step a guest; the gdb stub cannot work here");
        free(st);
        return -1;
    }
    rsp_decoder_init(&st->decoder);
    gdb_session_init(&st->session, &target_ops, st, 1);
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
    entry.handler.port = on_event_port;
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

/*
 * The gdb stub's shared state, for its own files only (the rest of minivm
 * sees core/gdb/gdb_stub.h):
 *   stub_threads.c     the followed process's threads and their registers
 *   stub_target.c      the target gdb_session.c drives: registers, memory, points
 *   stub_stop.c        stopping for gdb, the conversation, resuming
 *   stub_debug_exit.c  what a KVM_EXIT_DEBUG means
 *   stub_events.c      the guest kernel's events (minivm/gdb_events.h)
 *   gdb_stub.c         set-up: the probe, the socket, the event port, seccomp
 */
#ifndef MINIVM_CORE_GDB_STUB_STATE_H
#define MINIVM_CORE_GDB_STUB_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/gdb/debug_points.h"
#include "core/gdb/debug_probe.h"
#include "core/gdb/gdb_connection.h"
#include "core/gdb/gdb_session.h"
#include "core/gdb/guest_page_walk.h"
#include "core/gdb/rsp_framing.h"
#include "core/vmm.h"

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
    /* KVM cannot stop the guest's user code (kvm_pvm): the guest kernel
     * reports each #BP/#DB (GDB_EVENT_TRAP) and the stub stops inside that
     * report, the thread's registers in its frame; a step is TF in the frame. */
    bool guest_reported;
    bool frame_stop;   /* stopped inside a guest report (START or TRAP) */
    uint32_t frame_tid; /* the thread that reported */
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
    int32_t stepping_pid, stepping_tid; /* guest-reported: who steps over it */
    uint64_t step_from;     /* rip where gdb's step began */
    uint64_t syscall_return; /* the stub's int3 after a stepped syscall; 0: none */

    unsigned stop_count; /* stops reported to gdb so far */
    bool connected;
    bool finished; /* W/X sent, or gdb detached: the guest runs free */
};


static inline int vcpu_fd(const struct gdb_stub *st)
{
    return st->vmm->kvm.vcpu_fd;
}

/* Two CR3 values name the same address space. PVM's kernel and user tables
 * come as an 8 KiB-aligned pair (docs/pvm.md): either half names it. */
static inline bool same_space(const struct gdb_stub *st, uint64_t a, uint64_t b)
{
    uint64_t mask = PTE_ADDRESS & (st->pvm ? ~0x1fffull : ~0xfffull);
    return (a & mask) == (b & mask);
}

static inline struct guest_address_space followed_space(const struct gdb_stub *st)
{
    /* PVM: user mappings live in the pair's upper (user) table. */
    uint64_t cr3 = st->pvm ? (st->cr3 & PTE_ADDRESS & ~0x1fffull) + 0x1000 : st->cr3;
    return (struct guest_address_space){&st->vmm->memory, cr3 & PTE_ADDRESS, st->user_end, false};
}

/* stub_threads.c */
struct followed_thread *stub_find_thread(struct gdb_stub *st, uint32_t tid);
uint32_t stub_running_thread(struct gdb_stub *st, uint64_t cr3);
int stub_thread_get(struct gdb_stub *st, const struct followed_thread *t, struct x86_registers *r);
int stub_thread_set(struct gdb_stub *st, const struct followed_thread *t,
                    const struct x86_registers *r);
/* TF in a thread's saved rflags (a guest-reported step), on or off. */
int stub_thread_set_trap_flag(struct gdb_stub *st, const struct followed_thread *t, bool on);
/* The rip a thread saved (its frame), or 0 when unreadable; moving it. */
uint64_t stub_thread_rip(struct gdb_stub *st, const struct followed_thread *t);
int stub_thread_set_rip(struct gdb_stub *st, const struct followed_thread *t, uint64_t rip);

/* stub_target.c */
extern const struct gdb_target_ops stub_target_ops;
int stub_insert_int3(struct gdb_stub *st, uint64_t addr, bool by_stub);
int stub_remove_int3(struct gdb_stub *st, uint64_t addr, bool by_stub);
void stub_restore_byte(struct gdb_stub *st, const struct sw_breakpoint *bp);

/* stub_stop.c */
int stub_apply_debug(struct gdb_stub *st);
void stub_remove_all_int3(struct gdb_stub *st);
int stub_let_go(struct gdb_stub *st);
bool stub_must_give_up(void *opaque);
int stub_send_text(struct gdb_stub *st, const char *text);
int stub_stop(struct gdb_stub *st, const char *why);
int stub_run_past_breakpoint(struct gdb_stub *st, uint64_t rip, uint64_t rflags);
bool stub_followed_user(const struct gdb_stub *st, uint64_t rip, uint64_t cr3);

/* stub_events.c */
int stub_on_event_port(void *opaque, uint16_t port, bool is_write, uint8_t size, uint32_t *value);

#endif

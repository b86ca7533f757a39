#include "tests/fuzz/guest/guards.h"

#include <string.h>

#include "tests/fuzz/guest/memory.h"
#include "tests/fuzz/guest/signals.h"

#define CLONE_VM 0x100ull
#define CLONE_SIGHAND 0x800ull
#define CLONE_VFORK 0x4000ull
#define CLONE_THREAD 0x10000ull
#define CLONE_SETTLS 0x80000ull
#define CLONE_CHILD_CLEARTID 0x200000ull
#define CLONE_CHILD_SETTID 0x1000000ull
#define MREMAP_FIXED 2ull
#define USER_HALF_END 0x800000000000ull
#define NO_SUCH_PID 0x7ffffff0ull

/* Signals and process groups must never reach the supervisor (pid 2): it is
 * the program minivm runs, and its death would end the run. kill(-1) would
 * reach it too (only init and the caller are spared): it goes to the
 * batch's own group instead, which spare_batch may let through. */
static void spare_supervisor(const struct fuzz_state *s, struct arg *pid)
{
    int32_t v = (int32_t)pid->v;
    if (v == s->supervisor_pid || v == -s->supervisor_pgid)
        pid->v = NO_SUCH_PID;
    else if (v == -1)
        pid->v = (uint32_t)-s->pid;
}

/* Calls that end the process or only wait: rarely, or batches end at once. */
static bool rarely(struct fuzz_state *s, unsigned one_in)
{
    return rng_one_in(&s->rng, s->depth > 0 ? 2 : one_in);
}

/* A signal to the batch itself (or its group, or everyone) mostly ends it:
 * let 1 in 8 through, send the others to a child (or nobody). */
static void spare_batch(struct fuzz_state *s, struct call *c, struct arg *pid)
{
    int32_t v = (int32_t)pid->v;
    if (v != 0 && v != s->pid && v != -s->pid)
        return;
    if (rarely(s, 8))
        return;
    pid->v = s->nchildren > 0 ? (uint32_t)s->children[rng_below(&s->rng, s->nchildren)]
                              : NO_SUCH_PID;
    c->why = "aimed at the batch itself (made 1 in 8)";
}

/* A plausible range over the fuzzer's own memory moves into the arena. An
 * implausible one (unaligned, wrapping, past the user half) stays: the
 * kernel must refuse it before touching anything. */
static void keep_off_protected(struct fuzz_state *s, struct arg *addr, struct arg *len)
{
    uint64_t a = addr->v, n = len != 0 ? len->v : 4096;
    if (!memory_is_protected(a, n))
        return;
    bool plausible = (a & 0xfff) == 0 && a + n >= a && a + n <= USER_HALF_END;
    if (!plausible)
        return;
    uint64_t moved = memory_arena_address(&s->rng, true);
    addr->v = moved;
    addr->cls = PTR_ARENA;
    if (len != 0 && len->v > memory_arena_end() - moved)
        len->v = memory_arena_end() - moved;
}

static void guard_memory_calls(struct fuzz_state *s, struct call *c)
{
    if (call_is(c, "mmap")) {
        if (c->a[0].v != 0)
            keep_off_protected(s, &c->a[0], &c->a[1]);
    } else if (call_is(c, "munmap") || call_is(c, "mprotect") || call_is(c, "madvise") ||
               call_is(c, "msync")) {
        keep_off_protected(s, &c->a[0], &c->a[1]);
    } else if (call_is(c, "mremap")) {
        keep_off_protected(s, &c->a[0], &c->a[1]);
        if (c->a[3].v & MREMAP_FIXED)
            keep_off_protected(s, &c->a[4], &c->a[2]);
    }
}

/* The kernel reads a handler and restorer from the struct: anything but
 * ours (signals.c) could send a signal into arbitrary code. */
static void guard_sigaction(struct fuzz_state *s, struct call *c)
{
    struct arg *act = &c->a[1];
    if (act->v < 0x10000 || act->cls == PTR_BAD || c->kind[1] == ARG_SIGACTION)
        return;
    struct kernel_sigaction *k = structs_alloc(sizeof *k);
    if (k == 0) {
        act->v = 0;
        return;
    }
    signals_fill_action(&s->rng, k);
    act->v = (uint64_t)k;
    act->cls = PTR_STRUCT;
    c->why = "act replaced by a safe sigaction";
}

/* An rseq area the kernel honoured could send RIP to its abort address:
 * give it an empty one (no critical section). */
static void guard_rseq(struct call *c)
{
    struct arg *area = &c->a[0];
    if (area->v < 0x10000 || area->cls == PTR_BAD)
        return;
    void *zero = structs_alloc(64);
    area->v = (uint64_t)zero;
    area->cls = PTR_STRUCT;
}

static void route_fork(struct fuzz_state *s, struct call *c)
{
    bool own_stack_and_tls = true;
    if (call_is(c, "clone")) {
        uint64_t flags = c->a[0].v;
        own_stack_and_tls =
            !(flags & (CLONE_VM | CLONE_VFORK | CLONE_SETTLS | CLONE_THREAD | CLONE_SIGHAND)) &&
            c->a[1].v == 0;
    } else if (call_is(c, "vfork")) {
        own_stack_and_tls = false; /* Linux shares the parent's memory */
    }
    c->route = ROUTE_FORK;
    /* The kernel's writes into the child at fork and exit must not reach us
     * when the child has its own memory. With CLONE_VM they do, as on Linux
     * (CLONE_CHILD_CLEARTID is written at the child's exit or execve into the
     * memory it shares): the pointer stays an output buffer of ours. */
    if (call_is(c, "clone") && (c->a[0].v & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) &&
        !(c->a[0].v & CLONE_VM) && rng_one_in(&s->rng, 2))
        c->a[3] = (struct arg){memory_cow_address(&s->rng), PTR_STRUCT, 0, 0, 0};
    if (own_stack_and_tls && s->depth < 2 && rng_below(&s->rng, 3) != 0)
        c->child_mode = CHILD_RETURNS;
    else
        c->child_mode = rng_one_in(&s->rng, 3) ? CHILD_EXECS : CHILD_EXITS;
}

void guards_apply(struct fuzz_state *s, struct call *c)
{
    /* Outside the kernel's table: ENOSYS whatever the arguments. Skipped
     * already (known_bugs.c): nothing to guard. */
    if (c->desc == 0 || c->route == ROUTE_SKIP)
        return;

    const char *danger = guards_unhandled_dangerous(c->desc->name);
    if (danger != 0) {
        c->route = ROUTE_SKIP;
        c->why = danger;
        return;
    }
    /* The log descriptor is the fuzzer's, in every argument that names an fd. */
    for (int i = 0; i < 6; i++) {
        enum arg_kind k = c->desc->kinds[i];
        if ((k == ARG_FD || k == ARG_DIRFD) && (int32_t)c->a[i].v == LOG_FD)
            c->a[i].v = (uint32_t)-1;
    }
    if (call_is(c, "kill") || call_is(c, "tkill")) {
        spare_supervisor(s, &c->a[0]);
        spare_batch(s, c, &c->a[0]);
    } else if (call_is(c, "tgkill")) {
        spare_supervisor(s, &c->a[0]);
        spare_supervisor(s, &c->a[1]);
        spare_batch(s, c, &c->a[1]);
    } else if (call_is(c, "setpgid")) {
        if ((int32_t)c->a[1].v == s->supervisor_pgid)
            c->a[1].v = 0;
    } else if (call_is(c, "exit") || call_is(c, "exit_group")) {
        if (!rarely(s, 16)) {
            c->route = ROUTE_SKIP;
            c->why = "ends the process (made 1 in 16)";
        }
    } else if (call_is(c, "execve")) {
        if (args_is_exec_path(s, c->a[0].str, c->a[0].str_len) && !rarely(s, 3)) {
            c->route = ROUTE_SKIP;
            c->why = "would replace the process (made 1 in 3)";
        }
    } else if (call_is(c, "pause") || call_is(c, "rt_sigsuspend")) {
        if (!rarely(s, 10)) {
            c->route = ROUTE_SKIP;
            c->why = "waits for a signal (made 1 in 10)";
        }
    } else if (call_is(c, "rt_sigreturn")) {
        c->route = ROUTE_SIGRETURN;
    } else if (call_is(c, "clone") || call_is(c, "fork") || call_is(c, "vfork")) {
        route_fork(s, c);
    } else if (call_is(c, "rt_sigaction")) {
        guard_sigaction(s, c);
    } else if (call_is(c, "rseq")) {
        guard_rseq(c);
    } else {
        guard_memory_calls(s, c);
    }
}

const char *guards_unhandled_dangerous(const char *name)
{
    /* Each would move RIP, signal or change another process, or close
     * descriptors in bulk with generic arguments. */
    static const char *const names[] = {
        "clone3", "execveat", "sigreturn", "modify_ldt", "rt_sigqueueinfo",
        "rt_tgsigqueueinfo", "pidfd_send_signal", "ptrace", "process_vm_writev",
        "process_madvise", "close_range", "reboot", "kexec_load", "kexec_file_load",
        "userfaultfd", "io_uring_enter", "setns", "unshare", "seccomp",
    };
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], name) == 0)
            return "needs a guard in guards.c before it is fuzzed";
    return 0;
}

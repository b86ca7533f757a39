#include "tests/fuzz/guest/supervisor.h"

#include <sys/mman.h>
#include <string.h>

#include "tests/fuzz/guest/batch.h"
#include "tests/fuzz/guest/guards.h"
#include "tests/fuzz/guest/memory.h"
#include "tests/fuzz/guest/out.h"
#include "tests/fuzz/guest/progress.h"
#include "tests/fuzz/guest/raw.h"
#include "tests/fuzz/guest/signals.h"
#include "tests/fuzz/guest/syscalls.h"

#define SYS_mmap 9
#define SYS_nanosleep 35
#define SYS_getpid 39
#define SYS_fork 57
#define SYS_wait4 61
#define SYS_kill 62
#define SYS_getpgrp 111
#define SYS_clock_gettime 228
#define CLOCK_MONOTONIC 1
#define WNOHANG 1
#define WALL 0x40000000
#define SIGKILL 9
#define ECHILD 10
#define STDERR 2
#define POLL_MS 10
#define KILL_GRACE_MS 5000

struct timespec64 {
    int64_t sec, nsec;
};

static uint64_t now_ms(void)
{
    struct timespec64 ts = {0, 0};
    raw2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts);
    return (uint64_t)ts.sec * 1000 + (uint64_t)ts.nsec / 1000000;
}

static void sleep_ms(uint64_t ms)
{
    struct timespec64 ts = {(int64_t)(ms / 1000), (int64_t)(ms % 1000) * 1000000};
    raw2(SYS_nanosleep, (long)&ts, 0);
}

struct run_totals {
    uint64_t calls, sub_calls, skipped, resumed, forks;
    uint32_t wakes, stalls, overtime, findings;
};

enum end_kind { END_EXIT, END_SIGNAL, END_STALLED, END_OVERTIME, END_UNKILLABLE };

struct batch_end {
    enum end_kind kind;
    int value; /* exit status or signal */
};

static void out_prefix(struct out *o, const struct fuzz_config *cfg)
{
    out_str(o, "@@fuzz seed=");
    out_udec(o, cfg->seed);
    out_str(o, " ");
}

static void out_syscall_name(struct out *o, int64_t nr)
{
    const struct syscall_desc *d = syscall_find(nr);
    if (d != 0) {
        out_str(o, d->name);
    } else {
        out_str(o, "syscall_");
        out_dec(o, nr);
    }
}

/* Waits for the batch to exit. When no call was made for stall_ms, wakes
 * its processes (WAKE_SIGNAL: a blocked call fails with EINTR); when that
 * did not help, or the batch ran over batch_ms, kills it. Orphans it left
 * are reaped on the way. */
static struct batch_end wait_for_batch(const struct fuzz_config *cfg, struct progress *pg,
                                       int32_t pid, uint32_t *wakes)
{
    uint64_t start = now_ms(), last_change = start, seen = pg->calls_made;
    uint64_t killed_at = 0, woken_at = 0;
    enum end_kind why_killed = END_EXIT;
    for (;;) {
        int status = 0;
        long r = raw4(SYS_wait4, -1, (long)&status, WNOHANG | WALL, 0);
        if (r == pid) {
            if (why_killed != END_EXIT)
                return (struct batch_end){why_killed, 0};
            if ((status & 0x7f) == 0)
                return (struct batch_end){END_EXIT, (status >> 8) & 0xff};
            return (struct batch_end){END_SIGNAL, status & 0x7f};
        }
        if (r > 0)
            continue; /* an orphan the batch left */
        if (r < 0)
            return (struct batch_end){END_UNKILLABLE, (int)r}; /* lost track: ECHILD */
        uint64_t t = now_ms();
        if (pg->calls_made != seen) {
            seen = pg->calls_made;
            last_change = t;
            woken_at = 0;
        }
        if (killed_at == 0 && woken_at == 0 && t - last_change > cfg->stall_ms) {
            raw2(SYS_kill, -pid, WAKE_SIGNAL);
            woken_at = t;
            (*wakes)++;
        }
        if (killed_at == 0 &&
            ((woken_at != 0 && t - woken_at > cfg->stall_ms) || t - start > cfg->batch_ms)) {
            why_killed = t - start > cfg->batch_ms ? END_OVERTIME : END_STALLED;
            raw2(SYS_kill, -pid, SIGKILL);
            raw2(SYS_kill, pid, SIGKILL);
            killed_at = t;
        }
        if (killed_at != 0 && t - killed_at > KILL_GRACE_MS)
            return (struct batch_end){END_UNKILLABLE, 0};
        sleep_ms(POLL_MS);
    }
}

/* fork, retried while the process table is full (killed processes free
 * their slots once they have run to their end). */
static long fork_retrying(void)
{
    uint64_t start = now_ms();
    long pid;
    while ((pid = raw0(SYS_fork)) < 0 && now_ms() - start < KILL_GRACE_MS) {
        int status;
        while (raw4(SYS_wait4, -1, (long)&status, WNOHANG | WALL, 0) > 0)
            continue;
        sleep_ms(1);
    }
    return pid;
}

/* Kills everything but us (the batch's group, then everyone: kill(-1)
 * spares init and the caller) and reaps it all. False if something stays. */
static bool clean_up(int32_t batch_pid)
{
    raw2(SYS_kill, -batch_pid, SIGKILL);
    raw2(SYS_kill, -1, SIGKILL);
    uint64_t start = now_ms();
    for (;;) {
        int status;
        long r = raw4(SYS_wait4, -1, (long)&status, WNOHANG | WALL, 0);
        if (r == -ECHILD)
            return true;
        if (r > 0)
            continue;
        if (now_ms() - start > KILL_GRACE_MS)
            return false;
        sleep_ms(1);
    }
}

static void report_finding(const struct fuzz_config *cfg, uint32_t batch, const struct progress *pg)
{
    struct out o = {.len = 0};
    out_prefix(&o, cfg);
    out_str(&o, "FINDING batch=");
    out_udec(&o, batch);
    out_str(&o, " call=");
    out_udec(&o, pg->finding_call);
    out_str(&o, " depth=");
    out_udec(&o, pg->finding_depth);
    out_str(&o, ": ");
    out_str(&o, pg->finding_text);
    out_str(&o, ": ");
    out_syscall_name(&o, pg->finding_nr);
    out_str(&o, "(");
    for (int i = 0; i < 6; i++) {
        if (i > 0)
            out_str(&o, ", ");
        out_hex(&o, pg->finding_args[i]);
    }
    out_str(&o, ") = ");
    out_dec(&o, pg->finding_result);
    out_line(&o, STDERR);
}

static void report_problem(const struct fuzz_config *cfg, uint32_t batch, const char *what)
{
    struct out o = {.len = 0};
    out_prefix(&o, cfg);
    out_str(&o, "FINDING batch=");
    out_udec(&o, batch);
    out_str(&o, ": ");
    out_str(&o, what);
    out_line(&o, STDERR);
}

struct guest_info {
    uint64_t free_kib;
    uint32_t procs; /* process table entries, zombies included */
};

/* Free memory and process count (sysinfo). */
static struct guest_info guest_info(void)
{
    struct {
        int64_t uptime;
        uint64_t loads[3];
        uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
        uint16_t procs, pad;
        uint32_t pad2;
        uint64_t totalhigh, freehigh;
        uint32_t mem_unit;
        char reserved[4];
    } info;
    if (raw1(99 /* sysinfo */, (long)&info) != 0)
        return (struct guest_info){0, 0};
    return (struct guest_info){info.freeram * (info.mem_unit != 0 ? info.mem_unit : 1) / 1024,
                               info.procs};
}

static void report_batch(const struct fuzz_config *cfg, uint32_t batch, const struct progress *pg,
                         struct batch_end end)
{
    struct out o = {.len = 0};
    out_prefix(&o, cfg);
    out_str(&o, "batch=");
    out_udec(&o, batch);
    out_str(&o, " calls=");
    out_udec(&o, pg->calls_made);
    struct guest_info gi = guest_info();
    out_str(&o, " free-kib=");
    out_udec(&o, gi.free_kib);
    out_str(&o, " procs=");
    out_udec(&o, gi.procs);
    out_str(&o, " ended: ");
    switch (end.kind) {
    case END_EXIT: out_str(&o, "exit "); out_dec(&o, end.value); break;
    case END_SIGNAL: out_str(&o, "signal "); out_dec(&o, end.value); break;
    case END_STALLED: out_str(&o, "stalled"); break;
    case END_OVERTIME: out_str(&o, "over time"); break;
    case END_UNKILLABLE: out_str(&o, "not killable"); break;
    }
    if (end.kind != END_EXIT || end.value != 0) {
        out_str(&o, " at call=");
        out_udec(&o, pg->call);
        out_str(&o, " ");
        out_syscall_name(&o, pg->nr);
        out_str(&o, ", last by pid ");
        out_dec(&o, pg->last_pid);
        out_str(&o, " call=");
        out_udec(&o, pg->last_call);
        out_str(&o, " ");
        out_syscall_name(&o, pg->last_nr);
    }
    out_line(&o, STDERR);
}

static void report_start(const struct fuzz_config *cfg)
{
    struct out o = {.len = 0};
    out_prefix(&o, cfg);
    out_str(&o, "start batches=");
    out_udec(&o, cfg->batches);
    out_str(&o, " calls=");
    out_udec(&o, cfg->calls);
    out_str(&o, cfg->rw ? " root=rw" : " root=ro");
    out_str(&o, cfg->fuzz_known_bugs ? " known-bugs=fuzzed" : " known-bugs=avoided");
    out_str(&o, " syscalls=");
    out_udec(&o, syscall_count);
    bool first = true;
    for (uint32_t i = 0; i < syscall_count; i++) {
        if (syscalls[i].hinted)
            continue;
        out_str(&o, first ? " without-hints=" : ",");
        out_str(&o, syscalls[i].name);
        first = false;
    }
    first = true;
    for (uint32_t i = 0; i < syscall_count; i++) {
        if (guards_unhandled_dangerous(syscalls[i].name) == 0)
            continue;
        out_str(&o, first ? " not-fuzzed(need-guards)=" : ",");
        out_str(&o, syscalls[i].name);
        first = false;
    }
    out_line(&o, STDERR);
}

static void report_done(const struct fuzz_config *cfg, const struct run_totals *t)
{
    struct out o = {.len = 0};
    out_prefix(&o, cfg);
    out_str(&o, "done calls=");
    out_udec(&o, t->calls);
    out_str(&o, " (in forked children ");
    out_udec(&o, t->sub_calls);
    out_str(&o, ") skipped=");
    out_udec(&o, t->skipped);
    out_str(&o, " resumed=");
    out_udec(&o, t->resumed);
    out_str(&o, " forks=");
    out_udec(&o, t->forks);
    out_str(&o, " wakes=");
    out_udec(&o, t->wakes);
    out_str(&o, " stalls=");
    out_udec(&o, t->stalls);
    out_str(&o, " overtime=");
    out_udec(&o, t->overtime);
    out_str(&o, " findings=");
    out_udec(&o, t->findings);
    out_line(&o, STDERR);
}

/* Some batches eat the guest's memory (pressure.h): the supervisor's stack
 * pages are all there beforehand, so it never needs a new page meanwhile
 * (a page fault with no memory left is SIGKILL, as on Linux). */
__attribute__((noinline)) static void prefault_stack(void)
{
    volatile char pages[64 * 1024];
    for (unsigned i = 0; i < sizeof pages; i += 4096)
        pages[i] = 0;
}

int supervisor_run(const struct fuzz_config *cfg)
{
    struct progress *pg = (struct progress *)raw6(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE,
                                                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if ((long)pg < 0 && (long)pg > -4096) {
        struct out o = {.len = 0};
        out_str(&o, "guest_fuzz: cannot map the progress page");
        out_line(&o, STDERR);
        return 2;
    }
    memset(pg, 0, 4096); /* touched before any fork: it must be shared */
    prefault_stack();
    memory_protect_init((uint64_t)pg);
    struct supervisor_identity me = {(int32_t)raw0(SYS_getpid), (int32_t)raw0(SYS_getpgrp)};
    uint64_t image = memory_shared_image_checksum();
    report_start(cfg);

    struct run_totals totals;
    memset(&totals, 0, sizeof totals);
    for (uint32_t b = 0; b < cfg->batches; b++) {
        if (cfg->only_batch >= 0 && b != (uint64_t)cfg->only_batch)
            continue;
        memset(pg, 0, sizeof *pg);
        long pid = fork_retrying();
        if (pid == 0)
            batch_run(cfg, pg, b, me);
        if (pid < 0) {
            struct guest_info gi = guest_info();
            struct out o = {.len = 0};
            out_str(&o, "fork failed in the supervisor for 5 s: errno ");
            out_dec(&o, -pid);
            out_str(&o, ", ");
            out_udec(&o, gi.procs);
            out_str(&o, " processes in the table, ");
            out_udec(&o, gi.free_kib);
            out_str(&o, " KiB free");
            o.buf[o.len] = 0;
            report_problem(cfg, b, o.buf);
            totals.findings++;
            break;
        }
        raw2(109 /* setpgid */, pid, pid); /* as the child does: no race */
        struct batch_end end = wait_for_batch(cfg, pg, (int32_t)pid, &totals.wakes);
        bool clean = clean_up((int32_t)pid);
        report_batch(cfg, b, pg, end);

        totals.calls += pg->calls_made;
        totals.sub_calls += pg->sub_calls;
        totals.skipped += pg->skipped;
        totals.resumed += pg->resumed;
        totals.forks += pg->forks;
        totals.stalls += end.kind == END_STALLED;
        totals.overtime += end.kind == END_OVERTIME;
        if (pg->finding) {
            report_finding(cfg, b, pg);
            totals.findings++;
        }
        if (end.kind == END_UNKILLABLE) {
            report_problem(cfg, b, "the batch did not die of SIGKILL");
            totals.findings++;
        }
        if (!clean) {
            report_problem(cfg, b, "processes left after SIGKILL to every process");
            totals.findings++;
        }
        if (memory_shared_image_checksum() != image) {
            report_problem(cfg, b, "the shared program image or vDSO changed");
            totals.findings++;
            image = memory_shared_image_checksum();
        }
    }
    report_done(cfg, &totals);
    return totals.findings != 0 ? 1 : 0;
}

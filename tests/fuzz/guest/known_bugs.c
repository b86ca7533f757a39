/*
 * KNOWN GUEST-KERNEL BUGS THE FUZZER AVOIDS FOR NOW: REMOVE EACH ENTRY WHEN
 * ITS BUG IS FIXED. This is the one place; `guest_fuzz --known-bugs` (run.sh:
 * FUZZ_KNOWN_BUGS=1) turns every entry off to check the fixes.
 *
 * Known bugs that need no entry because they cannot disturb a run:
 *  - kill(-1, sig) also signals the caller: only a batch process kills itself.
 *  - a vfork parent cannot be killed: vfork children exit or execve at once
 *    (stubs.S), so a vfork parent never waits long.
 *  - MAP_SHARED|MAP_ANONYMOUS pages untouched before fork are not shared: the
 *    supervisor's progress page and the arena are written before any fork.
 */
#include "tests/fuzz/guest/known_bugs.h"

#include <string.h>

#include "tests/fuzz/guest/memory.h"

#define CSIGNAL 0xffull
#define SIGCHLD 17
#define CLONE_SETTLS 0x80000ull
#define EXEC_ARGS_BUDGET 16384

static bool canonical(uint64_t a)
{
    uint64_t top = a >> 47;
    return top == 0 || top == 0x1ffff;
}

/* Caps a NULL-terminated string array the fuzzer built in the struct area. */
static void cap_exec_strings(struct arg *array, uint64_t *budget)
{
    if (array->cls != PTR_STRUCT || !structs_contains(array->v))
        return;
    uint64_t *p = (uint64_t *)array->v;
    for (; (uint64_t)(p + 1) <= structs_end() && *p != 0; p++) {
        uint64_t len = 0;
        if (structs_contains(*p))
            len = strnlen((const char *)*p, structs_end() - *p);
        if (len + 1 > *budget) {
            *p = 0;
            return;
        }
        *budget -= len + 1;
    }
}

void known_bugs_avoid(struct fuzz_state *s, struct call *c)
{
    if (c->desc == 0)
        return;

    /* Remove when fixed: fsync/fdatasync on a read-only root kill minivm with
     * SIGSYS (status 159): the fileio plugin's seccomp list lacks fsync. */
    if ((call_is(c, "fsync") || call_is(c, "fdatasync")) && !s->cfg->rw) {
        c->route = ROUTE_SKIP;
        c->why = "known bug: fsync on a read-only root kills minivm";
    }

    if (call_is(c, "clone")) {
        /* Remove when fixed: clone(CLONE_SETTLS) with a non-canonical TLS
         * panics the guest kernel (WRMSR to FS_BASE faults). */
        if ((c->a[0].v & CLONE_SETTLS) && !canonical(c->a[4].v)) {
            c->a[4].v &= 0x00007fffffffffffull;
            c->why = "known bug: non-canonical CLONE_SETTLS made canonical";
        }
        /* Remove when fixed: an orphan keeps its clone() exit signal after it
         * is reparented, so pid 1 (the supervisor) would get e.g. SIGKILL. */
        uint64_t sig = c->a[0].v & CSIGNAL;
        if (sig != 0 && sig != SIGCHLD)
            c->a[0].v = (c->a[0].v & ~CSIGNAL) | SIGCHLD;
    }

    /* Remove when fixed: execve with huge argument strings is slow enough to
     * look like a hang under emulation. */
    if (call_is(c, "execve")) {
        uint64_t budget = EXEC_ARGS_BUDGET;
        cap_exec_strings(&c->a[1], &budget);
        cap_exec_strings(&c->a[2], &budget);
    }
}

bool known_bugs_allow_memory_exhaustion(const struct fuzz_state *s)
{
    /* Remove when fixed (FINDINGS.md 1): after the guest's memory ran out
     * once, multi-page kernel allocations (kzalloc > 2 KiB: the process, its
     * path buffers and fd table) fail for good, so fork fails with EAGAIN
     * forever; even without running out, every fork+exit uses up never-used
     * memory, and fork fails after a few thousand of them. */
    return s->cfg->fuzz_known_bugs || s->cfg->pressure_odds != 0;
}

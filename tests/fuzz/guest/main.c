/*
 * guest_fuzz: a guest syscall fuzzer for minivm's guest kernel. It runs only
 * as the program of a minivm VM (pid 2, under the init minivm plays):
 * anywhere else (natively, or when a fuzzed execve starts it again) it exits
 * at once, because its calls are random kill()s, unlink()s and renames.
 *
 *   minivm [--rw] --root SCRATCH -- guest_fuzz --seed N [options]
 *
 * tests/fuzz/guest/run.sh sets up the scratch root and checks the host side.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "tests/fuzz/guest/batch.h"
#include "tests/fuzz/guest/fuzz.h"
#include "tests/fuzz/guest/supervisor.h"
#include "tests/fuzz/guest/syscalls.h"

static const char usage[] =
    "usage: guest_fuzz --seed N [--batches N] [--calls N] [--rw] [--verbose]\n"
    "                  [--only-batch N] [--stop-after N] [--known-bugs]\n"
    "                  [--stall-ms N] [--batch-ms N]\n"
    "  --seed N        everything follows from it\n"
    "  --batches N     batches (child processes) to run (default 40)\n"
    "  --calls N       calls per batch (default 200)\n"
    "  --rw            the root is writable (minivm --rw)\n"
    "  --verbose       print each call before making it, and its result\n"
    "  --only-batch N  run only batch N (replay)\n"
    "  --stop-after N  end that batch before its call N (minimising)\n"
    "  --known-bugs    also make the calls known_bugs.c avoids\n"
    "  --stall-ms N    kill a batch that made no call for N ms (default 250)\n"
    "  --batch-ms N    kill a batch after N ms in all (default 30000)\n"
    "  --pressure-odds N  one batch in N eats the guest's memory first, even\n"
    "                  while that is a known bug (exploring ENOMEM paths)\n";

static bool number(const char *s, uint64_t *out)
{
    char *end;
    if (s == 0 || *s == 0)
        return false;
    *out = strtoull(s, &end, 0);
    return *end == 0;
}

static bool parse(int argc, char **argv, struct fuzz_config *cfg)
{
    bool have_seed = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : 0;
        uint64_t n = 0;
        if (strcmp(a, "--rw") == 0) {
            cfg->rw = true;
        } else if (strcmp(a, "--verbose") == 0) {
            cfg->verbose = true;
        } else if (strcmp(a, "--known-bugs") == 0) {
            cfg->fuzz_known_bugs = true;
        } else if (number(v, &n) && strcmp(a, "--seed") == 0) {
            cfg->seed = n, have_seed = true, i++;
        } else if (number(v, &n) && strcmp(a, "--batches") == 0) {
            cfg->batches = (uint32_t)n, i++;
        } else if (number(v, &n) && strcmp(a, "--calls") == 0) {
            cfg->calls = (uint32_t)n, i++;
        } else if (number(v, &n) && strcmp(a, "--only-batch") == 0) {
            cfg->only_batch = (int64_t)n, i++;
        } else if (number(v, &n) && strcmp(a, "--stop-after") == 0) {
            cfg->stop_after = (int64_t)n, i++;
        } else if (number(v, &n) && strcmp(a, "--stall-ms") == 0) {
            cfg->stall_ms = (uint32_t)n, i++;
        } else if (number(v, &n) && strcmp(a, "--batch-ms") == 0) {
            cfg->batch_ms = (uint32_t)n, i++;
        } else if (number(v, &n) && n > 0 && strcmp(a, "--pressure-odds") == 0) {
            cfg->pressure_odds = (uint32_t)n, i++;
        } else {
            fprintf(stderr, "guest_fuzz: bad argument '%s'\n%s", a, usage);
            return false;
        }
    }
    if (!have_seed)
        fprintf(stderr, "guest_fuzz: --seed is required\n%s", usage);
    return have_seed;
}

/* minivm runs its program as pid 2, a child of the init it plays. */
#define SUPERVISOR_PID 2

static bool in_minivm(void)
{
    struct utsname u;
    return uname(&u) == 0 && strstr(u.release, "minivm") != 0;
}

/* guest_fuzz --exec-child SEED BATCH CHILD_SEED DEPTH SUPERVISOR_PGID FLAGS,
 * as batch.c execs it: FLAGS has w (rw), v (verbose), k (known bugs). */
__attribute__((noreturn)) static void exec_child(char **argv)
{
    static struct fuzz_config cfg;
    uint64_t seed, batch, child_seed, depth, pgid;
    if (!number(argv[2], &seed) || !number(argv[3], &batch) || !number(argv[4], &child_seed) ||
        !number(argv[5], &depth) || !number(argv[6], &pgid) || depth > 3)
        _exit(0);
    cfg = (struct fuzz_config){
        .seed = seed,
        .calls = 1 + (uint32_t)(child_seed % 24),
        .rw = strchr(argv[7], 'w') != 0,
        .verbose = strchr(argv[7], 'v') != 0,
        .fuzz_known_bugs = strchr(argv[7], 'k') != 0,
        .only_batch = -1,
        .stop_after = -1,
        .self_path = argv[0],
        .exec_child_batch = (int64_t)batch,
    };
    syscalls_init();
    batch_run_execed(&cfg, child_seed, (uint32_t)depth,
                     (struct supervisor_identity){SUPERVISOR_PID, (int32_t)pgid});
}

int main(int argc, char **argv)
{
    if (getpid() != SUPERVISOR_PID || getppid() != 1) {
        /* Not minivm's first process: nothing at all, unless a batch started
         * us to fuzz on (and this is minivm). */
        if (argc == EXEC_CHILD_ARGC && strcmp(argv[1], EXEC_CHILD_FLAG) == 0 && in_minivm())
            exec_child(argv);
        _exit(0);
    }
    if (!in_minivm()) {
        fprintf(stderr, "guest_fuzz: refusing to run outside minivm\n");
        return 2;
    }
    struct fuzz_config cfg = {
        .batches = 40,
        .calls = 200,
        .only_batch = -1,
        .stop_after = -1,
        .stall_ms = 250,
        .batch_ms = 30000,
        .self_path = argv[0],
        .exec_child_batch = -1,
    };
    if (!parse(argc, argv, &cfg))
        return 2;
    syscalls_init();
    fflush(stderr);
    return supervisor_run(&cfg);
}

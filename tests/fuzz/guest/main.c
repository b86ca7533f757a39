/*
 * guest_fuzz: a guest syscall fuzzer for minivm's guest kernel. It runs only
 * as the first process of a minivm VM (pid 1): anywhere else (natively, or
 * when a fuzzed execve starts it again) it exits at once, because its calls
 * are random kill()s, unlink()s and renames.
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
    "  --batch-ms N    kill a batch after N ms in all (default 30000)\n";

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
        } else {
            fprintf(stderr, "guest_fuzz: bad argument '%s'\n%s", a, usage);
            return false;
        }
    }
    if (!have_seed)
        fprintf(stderr, "guest_fuzz: --seed is required\n%s", usage);
    return have_seed;
}

int main(int argc, char **argv)
{
    if (getpid() != 1)
        _exit(0); /* not minivm's first process: do nothing at all */
    struct utsname u;
    if (uname(&u) != 0 || strstr(u.release, "minivm") == 0) {
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
    };
    if (!parse(argc, argv, &cfg))
        return 2;
    syscalls_init();
    fflush(stderr);
    return supervisor_run(&cfg);
}

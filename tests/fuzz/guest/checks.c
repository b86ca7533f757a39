#include "tests/fuzz/guest/checks.h"

#include <string.h>

#include "tests/fuzz/guest/memory.h"
#include "tests/fuzz/guest/out.h"
#include "tests/fuzz/guest/progress.h"
#include "tests/fuzz/guest/raw.h"

#define ENOSYS 38
#define EHWPOISON 133 /* the highest errno Linux has */
#define MAX_RW_COUNT 0x7ffff000ll
#define USER_HALF_END 0x800000000000ull
#define CANARY_BYTE 0xa5
#define CANARY_MAX 256

/* Calls whose output is bounded by a length argument. */
static const struct {
    const char *name;
    int buf, len;
    bool writes_buf;
} bounded[] = {
    {"read", 1, 2, true},        {"pread64", 1, 2, true},   {"getrandom", 0, 1, true},
    {"getcwd", 0, 1, true},      {"readlink", 1, 2, true},  {"readlinkat", 2, 3, true},
    {"getdents64", 1, 2, true},  {"write", 1, 2, false},    {"pwrite64", 1, 2, false},
};

static unsigned char *canary_at;
static uint64_t canary_len;

void checks_report(struct fuzz_state *s, const struct call *c, long result, const char *what)
{
    struct progress *pg = s->progress;
    if (s->cfg->verbose) {
        struct out o = {.len = 0};
        out_str(&o, "  FINDING: ");
        out_str(&o, what);
        out_line(&o, LOG_FD);
    }
    if (s->cfg->exec_child_batch >= 0) { /* no supervisor reads our progress page */
        struct out o = {.len = 0};
        out_str(&o, "@@fuzz seed=");
        out_udec(&o, s->cfg->seed);
        out_str(&o, " FINDING batch=");
        out_udec(&o, (uint64_t)s->cfg->exec_child_batch);
        out_str(&o, " exec'd child at depth ");
        out_udec(&o, s->depth);
        out_str(&o, " call=");
        out_udec(&o, s->call);
        out_str(&o, ": ");
        out_str(&o, what);
        out_str(&o, ": nr ");
        out_dec(&o, c->nr);
        out_str(&o, " = ");
        out_dec(&o, result);
        out_line(&o, LOG_FD);
    }
    if (pg->finding)
        return;
    pg->finding = 1;
    pg->finding_call = s->call;
    pg->finding_depth = s->depth;
    pg->finding_nr = (int32_t)c->nr;
    for (int i = 0; i < 6; i++)
        pg->finding_args[i] = c->a[i].v;
    pg->finding_result = result;
    size_t n = strlen(what);
    if (n >= FINDING_TEXT_MAX)
        n = FINDING_TEXT_MAX - 1;
    memcpy(pg->finding_text, what, n);
    pg->finding_text[n] = 0;
}

static int bounded_index(const struct call *c)
{
    for (unsigned i = 0; i < sizeof bounded / sizeof bounded[0]; i++)
        if (call_is(c, bounded[i].name))
            return (int)i;
    return -1;
}

void checks_before(const struct call *c)
{
    canary_at = 0;
    int b = c->desc != 0 && c->route == ROUTE_SYSCALL ? bounded_index(c) : -1;
    if (b < 0 || !bounded[b].writes_buf)
        return;
    const struct arg *buf = &c->a[bounded[b].buf];
    uint64_t len = c->a[bounded[b].len].v;
    /* Only buffers of their own in the struct area (not at its guard page,
     * where another argument may share the bytes). */
    if (buf->cls != PTR_STRUCT || !structs_contains(buf->v) ||
        buf->v + buf->room > structs_end() - PAGE || len >= buf->room)
        return;
    canary_at = (unsigned char *)(buf->v + len);
    canary_len = buf->room - len < CANARY_MAX ? buf->room - len : CANARY_MAX;
    memset(canary_at, CANARY_BYTE, canary_len);
}

static void check_canary(struct fuzz_state *s, const struct call *c, long result)
{
    if (canary_at == 0)
        return;
    for (uint64_t i = 0; i < canary_len; i++) {
        if (canary_at[i] != CANARY_BYTE) {
            checks_report(s, c, result, "the kernel wrote past the length it was given");
            break;
        }
    }
    canary_at = 0;
}

static void check_bounded_result(struct fuzz_state *s, const struct call *c, long result)
{
    int b = bounded_index(c);
    if (b < 0 || result < 0)
        return;
    uint64_t len = c->a[bounded[b].len].v;
    if ((uint64_t)result > len || result > MAX_RW_COUNT)
        checks_report(s, c, result, "a transfer longer than asked for (or than MAX_RW_COUNT)");
}

static bool monotonic_clock(uint64_t id)
{
    return id == 1 || id == 4 || id == 6 || id == 7; /* MONOTONIC, _RAW, _COARSE, BOOTTIME */
}

static void check_clock(struct fuzz_state *s, const struct call *c, long result)
{
    const struct arg *ts = &c->a[1];
    uint64_t id = (uint32_t)c->a[0].v;
    if (result != 0 || id >= 8 || ts->cls != PTR_STRUCT || !structs_contains(ts->v) ||
        ts->v + 16 > structs_end() - PAGE)
        return;
    int64_t v[2];
    memcpy(v, (const void *)ts->v, sizeof v);
    if (v[0] < 0 || v[1] < 0 || v[1] >= 1000000000) {
        checks_report(s, c, result, "clock_gettime gave a malformed timespec");
        return;
    }
    uint64_t ns = (uint64_t)v[0] * 1000000000ull + (uint64_t)v[1];
    if (monotonic_clock(id) && ns < s->clock_ns[id])
        checks_report(s, c, result, "a monotonic clock went back");
    s->clock_ns[id] = ns;
}

static void check_identity(struct fuzz_state *s, const struct call *c, long result)
{
    if ((call_is(c, "getpid") || call_is(c, "gettid")) && result != s->pid)
        checks_report(s, c, result, "getpid/gettid did not name the caller");
    if (call_is(c, "getppid") && result != s->parent_pid && result != s->supervisor_pid &&
        result != 1)
        checks_report(s, c, result, "getppid named neither the parent nor init (orphan)");
}

/* --- data read back ---------------------------------------------------------------- */

#define SYS_lseek 8
#define SYS_pread64 17
#define SEEK_CUR 1
#define READBACK_MAX 65536

static unsigned char readback[READBACK_MAX];

/* The `n` bytes at `pos` of `fd` equal `bytes` (the caller's buffer, which the
 * kernel has just read or written, so it is mapped). Only regular files that
 * can be read back are checked (not pipes, devices, write-only files). */
static bool regular_file(long fd)
{
    struct {
        uint64_t dev, ino, nlink;
        uint32_t mode;
        unsigned char rest[124];
    } st;
    return raw2(5 /* fstat */, fd, (long)&st) == 0 && (st.mode & 0170000) == 0100000;
}

static bool file_holds(long fd, int64_t pos, const unsigned char *bytes, long n)
{
    if (pos < 0 || n <= 0 || n > READBACK_MAX || !regular_file(fd))
        return true;
    long got = raw4(SYS_pread64, fd, (long)readback, n, pos);
    if (got != n)
        return true;
    return memcmp(readback, bytes, (size_t)n) == 0;
}

/* read/write of a regular file moved exactly the bytes of the buffer. */
static void check_transfer(struct fuzz_state *s, const struct call *c, long result)
{
    bool is_read = call_is(c, "read"), is_write = call_is(c, "write");
    bool is_pread = call_is(c, "pread64"), is_pwrite = call_is(c, "pwrite64");
    if (result <= 0 || !(is_read || is_write || is_pread || is_pwrite))
        return;
    long fd = (int32_t)c->a[0].v;
    int64_t pos = (int64_t)c->a[3].v;
    if (is_read || is_write) { /* where the file position was */
        long end = raw3(SYS_lseek, fd, 0, SEEK_CUR);
        if (end < 0)
            return;
        pos = end - result;
    }
    if (!file_holds(fd, pos, (const unsigned char *)c->a[1].v, result))
        checks_report(s, c, result,
                      is_read || is_pread ? "read gave other bytes than the file holds"
                                          : "the file holds other bytes than were written");
}

/* A readable private file mapping shows the file's bytes. */
static void check_file_mapping(struct fuzz_state *s, const struct call *c, long result)
{
    uint64_t prot = c->a[2].v, flags = c->a[3].v;
    if (result < 0 && result > -4096)
        return;
    if ((flags & 0x20) /* MAP_ANONYMOUS */ || !(prot & 1) /* PROT_READ */ || (prot & ~7ull))
        return;
    long fd = (int32_t)c->a[4].v;
    if (!regular_file(fd))
        return;
    long got = raw4(SYS_pread64, fd, (long)readback, 4096, (long)c->a[5].v);
    if (got <= 0)
        return; /* not readable that way, or past the end (touching it: SIGBUS) */
    if (memcmp((const void *)result, readback, (size_t)got) != 0)
        checks_report(s, c, result, "a file mapping shows other bytes than the file holds");
}

void checks_after(struct fuzz_state *s, const struct call *c, long result)
{
    check_canary(s, c, result);
    if (c->desc == 0) {
        if (result != -ENOSYS)
            checks_report(s, c, result,
                          "a number outside the kernel's table did not fail with ENOSYS");
        return;
    }
    if (c->route != ROUTE_SYSCALL)
        return;
    if (result < 0 && result > -4096 && -result > EHWPOISON)
        checks_report(s, c, result, "an errno Linux does not have (a kernel-internal code leaked?)");
    if (call_is(c, "mmap") && !(result < 0 && result > -4096) &&
        ((result & 0xfff) != 0 || (uint64_t)result < 0x10000 || (uint64_t)result >= USER_HALF_END))
        checks_report(s, c, result, "mmap returned an address no mapping can have");
    check_bounded_result(s, c, result);
    check_identity(s, c, result);
    check_transfer(s, c, result);
    if (call_is(c, "mmap"))
        check_file_mapping(s, c, result);
    if (call_is(c, "clock_gettime"))
        check_clock(s, c, result);
}

void checks_cow(struct fuzz_state *s, const struct call *c)
{
    if (s->depth != 0 || memory_cow_intact(s->cow_seed))
        return;
    checks_report(s, c, 0, "a forked child's write reached its parent's private memory");
    memory_cow_fill(s->cow_seed); /* report it once */
}
